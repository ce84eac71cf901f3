"""Strings of the Sources page (pages/sources.py, cnnviz.lessons.sources): the five source articles,
their summaries, the concepts they teach and the mistakes cnnviz found in them."""

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- navigation and the home page (app.py, pages/home.py) ----
    "nav.sources": ("Sources", "参考文章"),
    "home.card.sources": (
        "The five Chinese articles cnnviz's lessons follow, by their own titles: a summary of "
        "each, the concepts it teaches with the page where you explore them, and the mistakes "
        "cnnviz found in it, each corrected with a value cnnviz computes.",
        "cnnviz 课程依据的五篇中文文章,按文章自己的标题列出:每篇的摘要、它讲到的概念以及可以探索这些概念的页面,"
        "还有 cnnviz 在文中发现的错误,每处都附上由 cnnviz 计算出的正确值。",
    ),
    # ---- the Sources page ----
    "sources.title": ("Sources: the five articles behind cnnviz", "参考文章:cnnviz 依据的五篇文章"),
    "sources.intro": (
        "cnnviz's lessons follow five Chinese articles on convolutional neural networks. Each is "
        "listed here by its own title, with a summary, the concepts it teaches (each links to "
        "the page of cnnviz where you can explore it) and the mistakes cnnviz found in it, with "
        "the correct value computed by cnnviz and the page that shows it. Read them critically: "
        "even a good article can get its arithmetic wrong, and cnnviz never copies an article's "
        "numbers.",
        "cnnviz 的课程依据五篇讲解卷积神经网络的中文文章。这里按文章自己的标题逐一列出:每篇都有一段摘要、"
        "它讲到的概念(每个概念都链接到 cnnviz 中可以动手探索它的页面),以及 cnnviz 在文中发现的错误,"
        "附有由 cnnviz 计算出的正确值和展示更正的页面。阅读时要带着批判的眼光:即使是好文章也可能算错,"
        "cnnviz 从不照抄文章里的数字。",
    ),
    "sources.contents": ("The articles", "文章列表"),
    "sources.companion": (
        "Printed together with a companion piece: {title}",
        "与另一篇短文合在一起:{title}",
    ),
    "sources.concepts_title": (
        "What it teaches, and where to explore it",
        "它讲了什么,在哪里动手探索",
    ),
    "sources.mistakes_title": ("Mistakes cnnviz found in it", "cnnviz 在文中发现的错误"),
    "sources.see_correction": ("See it in the app: {page}", "在应用中查看:{page}"),
    "sources.about_article": ("about this article", "关于这篇文章"),
    # ---- where each article comes from ----
    "sources.origin.a000": (
        "A compilation: short texts on CNNs, then the journal paper whose title it carries (Xu "
        "Zhenzhong, 高师理科学刊 / Journal of Science of Teachers' College and University 39(1), "
        "2019).",
        "合集:先是几篇关于 CNN 的短文,然后是作为标题的期刊论文(徐振忠,《高师理科学刊》"
        "第 39 卷第 1 期,2019 年)。",
    ),
    "sources.origin.a001": (
        "A compilation of Chinese blog answers and excerpts.",
        "由中文博客问答和摘录汇编而成。",
    ),
    "sources.origin.a002": (
        "A Chinese blog post (CSDN), the sequel to its author's post on the layers of a CNN.",
        "一篇中文博客文章(CSDN),接续作者此前介绍 CNN 各层结构的文章。",
    ),
    "sources.origin.a003": (
        "A Chinese blog tutorial with a worked example and TensorFlow/Keras code.",
        "一篇中文博客教程,含手算示例和 TensorFlow/Keras 代码。",
    ),
    "sources.origin.a004": (
        "A Chinese blog post on AlexNet (Krizhevsky, Sutskever and Hinton, 2012), with a Keras "
        "implementation.",
        "一篇介绍 AlexNet(Krizhevsky、Sutskever 和 Hinton,2012)的中文博客文章,附 Keras 实现。",
    ),
    # ---- one-paragraph summaries ----
    "sources.summary.a000": (
        "It opens with a companion piece on making a trained CNN smaller: parameter pruning "
        "(global, local and structured) and sparsification (L1 and L0 regularisation, "
        "distillation). Short texts follow on a residual U-Net for reservoir prediction, curing "
        "underfitting and overfitting (a larger model, data augmentation, transfer learning, "
        "L1/L2 regularisation, dropout, early stopping, ensembles), squared-error and "
        "cross-entropy losses written in NumPy, and residual connections with bottleneck blocks. "
        "The paper itself describes a classic CNN for 28×28 images (six 5×5 kernels, 2×2 mean "
        "pooling, twelve 5×5 kernels, 2×2 mean pooling, a fully connected output) with its "
        "squared-error loss and backpropagation updates, then adds a Triplet-network term to "
        "the loss (TCNN: L = R + αL₁ − βL₂) that pulls the features of one class together and "
        "pushes different classes apart, and reports better accuracy on MNIST and CIFAR-10.",
        "开篇是一篇关于把训练好的 CNN 变小的短文:参数剪枝(全局剪枝、局部剪枝和结构剪枝)与稀疏化"
        "(L1 和 L0 正则化、模型蒸馏)。随后几篇短文讲到:用于储层预测的残差 U-Net;如何解决欠拟合和过拟合"
        "(更大的模型、数据增强、迁移学习、L1/L2 正则化、Dropout、早停、模型集成);用 NumPy 实现的"
        "均方误差损失和交叉熵损失;以及残差连接和瓶颈结构。论文本身介绍了一个用于 28×28 图像的经典 CNN"
        "(6 个 5×5 卷积核、2×2 均值池化、12 个 5×5 卷积核、2×2 均值池化、全连接输出层)及其均方误差"
        "损失和反向传播更新公式,然后在损失函数中加入 Triplet 网络的约束项(TCNN:L = R + αL₁ − βL₂),"
        "使同类图片的特征靠近、异类图片的特征远离,并报告在 MNIST 和 CIFAR-10 上识别效果更好。",
    ),
    "sources.summary.a001": (
        "It explains a CNN as convolution + ReLU, then pooling, repeated, with a softmax layer "
        "on top, and notes that the features of a trained network, fed to an SVM, classify "
        "almost as well. It then discusses choosing losses and activations: squared error after "
        "a sigmoid learns slowly, cross-entropy removes the σ′(z) factor, softmax with the "
        "log-likelihood loss for classification, vanishing and exploding gradients, ReLU, tanh, "
        "softplus and PReLU. It tells the history from Hubel and Wiesel's receptive fields to "
        "the neocognitron, explains how local connections and weight sharing cut the number of "
        "parameters, and gives a Keras MNIST example (4@5×5 tanh, 8@3×3 tanh, 2×2 max pooling, "
        "16@3×3 ReLU, 2×2 max pooling, dense 128, softmax 10, trained by SGD with Nesterov "
        "momentum), with data augmentation and a cross-entropy example on a 10-class prediction.",
        "它把 CNN 解释为“卷积 + ReLU,再池化”的反复堆叠,最上面是一层 softmax,并指出把训练好的网络提取的"
        "特征交给 SVM 分类,效果也差不多。接着讨论损失函数和激活函数的选择:sigmoid 之后用均方误差学得慢,"
        "交叉熵消去了 σ′(z) 因子,分类时用 softmax 配合对数似然损失,梯度消失与梯度爆炸,以及 ReLU、tanh、"
        "softplus 和 PReLU。文中回顾了从 Hubel 和 Wiesel 的感受野到神经认知机的历史,说明局部连接和权值共享"
        "如何减少参数,并给出一个 Keras 的 MNIST 示例(4@5×5 tanh、8@3×3 tanh、2×2 最大池化、"
        "16@3×3 ReLU、2×2 最大池化、全连接 128、softmax 10,用带 Nesterov 动量的 SGD 训练),"
        "还讲到数据增强,以及一个 10 类预测的交叉熵例子。",
    ),
    "sources.summary.a002": (
        "How a CNN is trained. Weights start as small random numbers from a zero-mean normal "
        "distribution (variance 2/n), biases at 0; backpropagation and mini-batch SGD update "
        "them. Against overfitting it presents L1/L2 regularisation and dropout, with NumPy "
        "code for inverted dropout. It shows how the gradient passes back through max pooling "
        "(to the maximum only) and average pooling (shared equally), with code; compares batch, "
        "mini-batch and stochastic gradient descent; lists common learning rates and the "
        "learning-rate schedules fixed, step, exp, multistep and poly (with a Caffe example); "
        "explains overfitting and underfitting; and reads first-layer feature images: rough, "
        "noisy features hint at a network that did not converge, a badly chosen learning rate or "
        "too weak a penalty.",
        "讲 CNN 如何训练。权重初始化为均值为 0 的正态分布中的小随机数(方差 2/n),偏置初始化为 0;"
        "用反向传播和小批量 SGD 更新参数。针对过拟合介绍 L1/L2 正则化和 Dropout,并给出倒置 Dropout"
        "的 NumPy 代码。文中说明梯度如何反向穿过最大池化(只传给最大值)和平均池化"
        "(平均分配),附有代码;比较批量、小批量和随机梯度下降;列出常用的学习率和 fixed、step、exp、"
        "multistep、poly 等学习率调整策略(附 Caffe 示例);解释过拟合与欠拟合;并通过第一层的特征图"
        "判断训练情况:特征粗糙杂乱,可能说明网络没有收敛、学习率设置不当或惩罚因子太小。",
    ),
    "sources.summary.a003": (
        "A tour of a CNN layer by layer: input, convolution with an activation, pooling, "
        "normalisation, fully connected and output layers, the loss, optimisation, forward and "
        "backward propagation, and evaluation. It explains stride and padding (valid and same), "
        "then works a 5×5 example by hand through convolution, ReLU, max pooling, a second "
        "convolution and pooling, a dense layer and softmax, with the Keras code of that "
        "network. It trains a small CIFAR-10 network, explains each kind of layer (dropout "
        "included), compares optimizers (SGD, momentum, Nesterov, Adagrad, RMSProp, Adam and its "
        "variants) and loss functions (MSE, MAE, binary and categorical cross-entropy, hinge, KL "
        "divergence, contrastive), and ends with applications from classification and "
        "detection to segmentation (FCN, U-Net) and style transfer.",
        "逐层介绍 CNN:输入层、卷积层与激活函数、池化层、归一化层、全连接层和输出层,以及损失函数、优化、"
        "前向传播与反向传播和模型评估。文中解释步幅和填充(valid 与 same),然后手算一个 5×5 示例,"
        "依次经过卷积、ReLU、最大池化、第二次卷积与池化、全连接层和 softmax,并给出这个网络的 Keras 代码。"
        "之后训练一个小型 CIFAR-10 网络,说明各类层(包括 Dropout)的作用,比较各种优化器(SGD、动量、"
        "Nesterov、Adagrad、RMSProp、Adam 及其变体)和损失函数(均方误差、平均绝对误差、二分类与多分类"
        "交叉熵、Hinge 损失、KL 散度、对比损失),最后列举从图像分类、目标检测到图像分割(FCN、U-Net)"
        "和风格迁移等应用。",
    ),
    "sources.summary.a004": (
        "What made AlexNet work: a deeper network, ReLU instead of sigmoid (no saturated "
        "gradients), data augmentation (random 227×227 crops of 256×256 images with horizontal "
        "flips, ten crops at test time, PCA colour perturbation), overlapping 3×3 pooling with "
        "stride 2, local response normalisation (k = 2, n = 5, α = 10⁻⁴, β = 0.75), dropout, and "
        "training on two GPUs. It walks through the eight layers with weights and their output "
        "sizes, argues that the input must be 227×227 rather than 224×224 to give a 55×55 first "
        "feature map, counts the parameters of each layer, and gives a Keras version that "
        "replaces local response normalisation with batch normalisation.",
        "AlexNet 成功的原因:更深的网络,用 ReLU 代替 sigmoid(避免梯度饱和),数据增强(从 256×256 图像中"
        "随机裁剪 227×227 并水平翻转,测试时取 10 个裁剪,PCA 颜色扰动),步幅为 2 的 3×3 重叠池化,"
        "局部响应归一化(k = 2,n = 5,α = 10⁻⁴,β = 0.75),Dropout,以及用两块 GPU 训练。文中逐层讲解"
        "八个带权重的层及其输出尺寸,认为第一层要得到 55×55 的特征图,输入必须是 227×227 而不是 224×224,"
        "统计每一层的参数量,并给出一个用批归一化代替局部响应归一化的 Keras 版本。",
    ),
    # ---- concepts (cnnviz.lessons.sources.CONCEPTS) ----
    "sources.concept.cnn_layers": (
        "the layers of a CNN: convolution, activation, pooling, flatten, fully connected",
        "CNN 的各层:卷积层、激活函数、池化层、展平层、全连接层",
    ),
    "sources.concept.convolution": (
        "convolution, kernels and feature maps",
        "卷积、卷积核与特征图",
    ),
    "sources.concept.padding_stride": (
        "padding and stride (valid and same)",
        "填充与步幅(valid 与 same)",
    ),
    "sources.concept.output_size": (
        "output sizes: ⌊(n + 2p − k)/s⌋ + 1",
        "输出尺寸:⌊(n + 2p − k)/s⌋ + 1",
    ),
    "sources.concept.parameters": (
        "parameter counts, local connections and weight sharing",
        "参数量、局部连接与权值共享",
    ),
    "sources.concept.receptive_field": ("receptive fields", "感受野"),
    "sources.concept.pooling": ("max and average pooling", "最大池化与平均池化"),
    "sources.concept.overlapping_pooling": (
        "overlapping pooling (3×3, stride 2)",
        "重叠池化(3×3,步幅 2)",
    ),
    "sources.concept.pool_backward": ("backpropagation through pooling", "池化层的反向传播"),
    "sources.concept.worked_example": (
        "a forward pass computed by hand, matrix by matrix",
        "逐个矩阵手算一次前向传播",
    ),
    "sources.concept.classic_cnn": (
        "a classic CNN: convolution and mean pooling in turn",
        "经典 CNN:卷积层与均值池化层交替",
    ),
    "sources.concept.alexnet": ("AlexNet, layer by layer", "逐层剖析 AlexNet"),
    "sources.concept.grouped_conv": (
        "grouped convolution (AlexNet's two GPUs)",
        "分组卷积(AlexNet 的两块 GPU)",
    ),
    "sources.concept.residual": (
        "residual connections and bottleneck blocks",
        "残差连接与瓶颈结构",
    ),
    "sources.concept.activations": (
        "activation functions: sigmoid, tanh, ReLU and its variants",
        "激活函数:sigmoid、tanh、ReLU 及其变体",
    ),
    "sources.concept.vanishing": ("vanishing and exploding gradients", "梯度消失与梯度爆炸"),
    "sources.concept.softmax": ("softmax: from scores to probabilities", "softmax:从得分到概率"),
    "sources.concept.losses": (
        "loss functions: squared error, cross-entropy and more",
        "损失函数:均方误差、交叉熵等",
    ),
    "sources.concept.triplet": (
        "triplet and contrastive losses",
        "三元组损失与对比损失",
    ),
    "sources.concept.dropout": ("dropout", "Dropout"),
    "sources.concept.batch_norm": ("batch normalisation", "批归一化"),
    "sources.concept.lrn": ("local response normalisation (LRN)", "局部响应归一化(LRN)"),
    "sources.concept.regularization": ("L1 and L2 regularisation", "L1 与 L2 正则化"),
    "sources.concept.overfitting": ("overfitting and underfitting", "过拟合与欠拟合"),
    "sources.concept.augmentation": ("data augmentation", "数据增强"),
    "sources.concept.early_stopping": ("early stopping", "早停"),
    "sources.concept.ensembles": ("model ensembles", "模型集成"),
    "sources.concept.training": (
        "training and validating a CNN on CIFAR-10",
        "在 CIFAR-10 上训练并验证 CNN",
    ),
    "sources.concept.backprop": (
        "backpropagation and gradient descent (mini-batch SGD)",
        "反向传播与梯度下降(小批量 SGD)",
    ),
    "sources.concept.optimizers": (
        "optimizers: momentum, Nesterov, Adagrad, RMSProp, Adam",
        "优化器:动量、Nesterov、Adagrad、RMSProp、Adam",
    ),
    "sources.concept.learning_rate": (
        "the learning rate and its schedules",
        "学习率与学习率调整策略",
    ),
    "sources.concept.init": ("weight initialisation", "权重初始化"),
    "sources.concept.feature_vis": (
        "what the filters learn (feature visualisation)",
        "卷积核学到了什么(特征可视化)",
    ),
    "sources.concept.translation": (
        "translation invariance and equivariance",
        "平移不变性与平移等变性",
    ),
    "sources.concept.cnn_svm": (
        "CNN features for another classifier (an SVM)",
        "把 CNN 提取的特征交给其他分类器(SVM)",
    ),
    "sources.concept.pruning": ("pruning and sparsification", "参数剪枝与稀疏化"),
    "sources.concept.distillation": ("knowledge distillation", "知识蒸馏"),
    "sources.concept.segmentation": (
        "image segmentation with a (residual) U-Net",
        "用(残差)U-Net 做图像分割",
    ),
    "sources.concept.transfer": ("transfer learning", "迁移学习"),
    # ---- mistakes (cnnviz.lessons.corrections), the numbers computed by cnnviz ----
    "sources.mistake.underfit_cures": (
        "Its text on underfitting lists L1/L2 regularisation and dropout among the cures. Both "
        "restrict what a network can fit: they cure overfitting and make underfitting worse. An "
        "underfitting network needs more capacity, longer training or less regularisation; the "
        "Overfitting lab shows both cases.",
        "讲欠拟合的那段把 L1/L2 正则化和 Dropout 列为解决办法。这两种方法都会限制网络的拟合能力:"
        "它们能缓解过拟合,却会让欠拟合更严重。欠拟合的网络需要更大的容量、更长的训练或更弱的正则化;"
        "“过拟合实验室”展示了这两种情况。",
    ),
    "sources.mistake.distillation": (
        "The companion piece calls model distillation a sparsification method in which a "
        "smaller model guides the original model's parameters towards zero. Knowledge "
        "distillation (Hinton, Vinyals and Dean, 2015) works the other way round: the softened "
        "outputs of a large trained teacher train a smaller student. It makes the model "
        "smaller; it does not make the teacher's weights sparse.",
        "开篇短文把模型蒸馏说成一种稀疏化方法:用一个较小的模型引导原模型的参数趋向稀疏。知识蒸馏"
        "(Hinton、Vinyals 和 Dean,2015)恰恰相反:用训练好的大模型(教师模型)经过软化的输出来训练"
        "一个较小的模型(学生模型)。它让模型变小,而不是让教师模型的权重变稀疏。",
    ),
    "sources.mistake.equivariance": (
        "Its title calls this property of convolution translation invariance. A convolution is "
        "translation-equivariant: shift the input and the feature map shifts by the same amount, "
        "so one kernel detects a pattern wherever it appears. Invariance to small shifts comes "
        "from pooling (as the text itself says of pooling), and to any shift from global pooling.",
        "标题把卷积的这一性质称为平移不变性。卷积其实具有平移等变性:输入平移多少,特征图就跟着平移多少,"
        "所以同一个卷积核无论图案出现在哪里都能检测到它。对小幅平移的不变性来自池化(文中讲池化时也这样说),"
        "对任意平移的不变性来自全局池化。",
    ),
    "sources.mistake.keras_comment": (
        "In its Keras code the comment on the third convolution says tanh, but the code applies "
        "ReLU. The Build page's Keras MNIST example follows the code: ReLU after the third "
        "convolution.",
        "在它的 Keras 代码中,第三个卷积层的注释写的是 tanh,代码里用的却是 ReLU。“搭建 CNN”页面的"
        " Keras MNIST 示例以代码为准:第三个卷积层之后是 ReLU。",
    ),
    "sources.mistake.pool_ties": (
        "Its max-pooling backward code, `dx[window] = (window == m) * dout`, sends the gradient "
        "to every maximum of a window when several cells tie, and where windows overlap it "
        "overwrites instead of adding. For the window `{window}` with upstream gradient 1 it gives "
        "`{said}` (in total {said_total}); PyTorch gives `{correct}` (in total {correct_total}): only "
        "the first maximum receives the gradient.",
        "它的最大池化反向传播代码 `dx[window] = (window == m) * dout` 在窗口中有多个并列最大值时,"
        "会把梯度传给每一个最大值;窗口重叠时又是覆盖而不是相加。对窗口 `{window}`、上游梯度为 1,"
        "它得到 `{said}`(总和 {said_total});PyTorch 得到 `{correct}`(总和 {correct_total}):"
        "只有第一个最大值接收梯度。",
    ),
    "sources.mistake.he_fan_in": (
        "It asks for weights drawn with variance 2/n, “n the number of weights”. In He (Kaiming) "
        "initialisation n is the fan-in, the number of inputs of one neuron: C_in × k × k for a "
        "convolution. For a 3×3 convolution from 16 to 32 channels, n = {formula}, a standard "
        "deviation of √(2/{fan_in}) = {std}; counting all {weights} weights would give "
        "{wrong_std}, {ratio} times too small.",
        "文中要求权重服从方差为 2/n 的正态分布,“n 为权重的个数”。在 He(Kaiming)初始化中,n 是扇入,"
        "即一个神经元的输入个数:卷积层为 C_in × k × k。对于从 16 个通道到 32 个通道的 3×3 卷积,"
        "n = {formula},标准差为 √(2/{fan_in}) = {std};若把全部 {weights} 个权重都算进去,"
        "得到的 {wrong_std} 只有正确值的 1/{ratio}。",
    ),
    "sources.mistake.lr_definition": (
        "It defines the learning rate as “the amount the cost function is minimised in each "
        "iteration”. The learning rate η is the factor that scales the gradient in each update, "
        "w ← w − η·∂L/∂w. How much the loss then falls depends on the gradient too, and with "
        "too large a rate the loss rises instead.",
        "文中把学习率定义为“每次迭代中成本函数中最小化的量”。学习率 η 是每次更新时与梯度相乘的系数:"
        "w ← w − η·∂L/∂w。损失因此下降多少还取决于梯度;学习率太大时,损失反而会上升。",
    ),
    "sources.mistake.conv_cells": (
        "Its first hand pass over convolution 1 gets {count} of its {total} cells wrong "
        "(position: article → correct): {cells}. Its final feature map is right.",
        "它第一次手算卷积 1 时,{total} 个格子中有 {count} 个算错(位置:文章的值 → 正确值):{cells}。"
        "它最终给出的特征图是对的。",
    ),
    "sources.mistake.softmax": (
        "Its softmax gives `{said}`, with a negative “probability”: softmax divides exponentials, "
        "which are never negative, by their sum. The softmax of its own dense outputs is "
        "`{correct}`.",
        "它的 softmax 结果是 `{said}`,其中有一个负“概率”:softmax 用指数除以指数之和,而指数永远不会是负数。"
        "对它自己的全连接层输出做 softmax,得到 `{correct}`。",
    ),
    "sources.mistake.matmul": (
        "It says each filter performs “matrix multiplication and summation” on the input. A "
        "convolution multiplies the window and the kernel element by element and adds the "
        "products (a dot product). At position (1, 1) of its worked example that gives "
        "{correct}; a matrix product of the window and the kernel, summed, would give {matmul}.",
        "文中说每个滤波器在输入上进行“矩阵乘法和加和运算”。卷积是把窗口与卷积核逐元素相乘,再把乘积相加"
        "(即点积)。在它的算例中位置 (1, 1) 处,这样得到 {correct};若把窗口和卷积核做矩阵乘法再求和,"
        "得到的是 {matmul}。",
    ),
    "sources.mistake.alexnet_conv1": (
        "It counts conv1 as {said} parameters: its formula adds the {biases} biases, but its "
        "total leaves them out. Correct: `{formula}`, i.e. {correct}.",
        "它把 conv1 的参数量算成 {said}:公式里加上了 {biases} 个偏置,总数却把它们漏掉了。"
        "正确的是 `{formula}`,即 {correct}。",
    ),
    "sources.mistake.alexnet_output": (
        "It counts the output layer as {said} parameters, without its {biases} biases. Correct: "
        "`{formula}`, i.e. {correct}.",
        "它把输出层的参数量算成 {said},漏掉了 {biases} 个偏置。正确的是 `{formula}`,即 {correct}。",
    ),
    "sources.mistake.alexnet_lrn_order": (
        "It orders conv1 and conv2 as convolution → ReLU → pooling → normalisation. In the "
        "paper local response normalisation comes before pooling: convolution → ReLU → LRN → "
        "max pooling, as in the Build page's AlexNet.",
        "它把 conv1 和 conv2 的顺序写成 卷积 → ReLU → 池化 → 归一化。论文中局部响应归一化在池化之前:"
        "卷积 → ReLU → LRN → 最大池化,“搭建 CNN”页面中的 AlexNet 也是如此。",
    ),
    "sources.mistake.alexnet_input": (
        "It computes (224 − 11)/4 = {said224} and (227 − 11)/4 = {said227}. In fact "
        "(224 − 11)/4 = {q224} and (227 − 11)/4 = {q227}: the output size rounds down and adds "
        "1, `{f224}` and `{f227}`. And 227 is not the only way to a {out227}×{out227} map: a "
        "224×224 input with padding 2 gives `{f224p2}`.",
        "它算出 (224 − 11)/4 = {said224},(227 − 11)/4 = {said227}。实际上 (224 − 11)/4 = {q224},"
        "(227 − 11)/4 = {q227}:输出尺寸要先向下取整再加 1,即 `{f224}` 和 `{f227}`。而且要得到"
        " {out227}×{out227} 的特征图并非只能用 227:224×224 的输入加上 2 的填充也得到 `{f224p2}`。",
    ),
    "sources.mistake.alexnet_conv5_relu": (
        "Its Keras code has no ReLU after conv5: the convolution goes straight into max "
        "pooling. The paper applies ReLU after every convolution, as the Build page's AlexNet "
        "does.",
        "它的 Keras 代码在 conv5 之后没有 ReLU:卷积直接进入最大池化。论文在每个卷积层之后都使用 ReLU,"
        "“搭建 CNN”页面中的 AlexNet 也是如此。",
    ),
}
