"""Strings of the Initialisation page (pages/init, cnnviz.concepts init, cnnviz.viz init)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- navigation and the home page ----
    "nav.init": ("Initialisation", "参数初始化"),
    "home.card.init": (
        "A 10-layer stack under six initialisations, layer-by-layer histograms of activations "
        "and gradients (vanishing and exploding in numbers); He's Var(w) = 2/n with the fan-in "
        "of your own network; all-zero, constant and random weights trained for real, filters "
        "shown.",
        "一个 10 层的网络分别用六种方法初始化,逐层画出激活值和梯度的直方图(用数字看清梯度消失和爆炸);"
        "用你自己网络的扇入代入 He 的 Var(w) = 2/n;全零、常数和随机初始化各真实训练一次,并展示卷积核。",
    ),
    # ---- the page ----
    "init.title": ("Initialisation: where training starts", "参数初始化:训练从哪里开始"),
    "init.intro": (
        "The article 「深度学习之卷积神经网络(Convolutional Neural Networks, CNN)」 gives two rules: "
        'never initialise the weights W to 0 ("otherwise W cannot be updated"), and draw them '
        "from a normal distribution with mean 0 and variance 2/n, n being the number of weights; "
        "biases can start at 0. This page shows why, and makes both rules precise: which "
        "weights cannot learn from zeros (and which one still can), why a constant is just as "
        "bad, and which n the 2/n needs: a neuron's number of inputs, its fan-in.",
        "文章《深度学习之卷积神经网络(Convolutional Neural Networks, CNN)》给出两条规则:权重 W 一定不能初始化为 0"
        "(“否则参数 W 无法更新”),并且应从均值为 0、方差为 2/n 的正态分布中取值,n 为权重的个数;偏置可以从 0 开始。"
        "本页展示其中的原因,并把两条规则说得更准确:从零开始时哪些权重学不动(以及哪一个仍然能学),为什么常数初始化同样糟糕,"
        "以及 2/n 中的 n 到底是什么:一个神经元的输入个数,即它的扇入(fan-in)。",
    ),
    # ---- 1. the deep stack ----
    "init.stack.title": ("1. Ten layers deep", "1. 十层深的网络"),
    "init.stack.intro": (
        "A stack of {depth} layers of the same kind, each followed by the same activation, then a "
        "classifier, initialised with the scheme you pick (biases 0). One forward and one "
        "backward pass on real shapes images: for each layer, the histogram of its activations "
        "h (blue) and of the gradients dL/dh that back-propagation brings to it (orange), all "
        "layers on one scale, with each layer's standard deviation σ under its panel.",
        "由 {depth} 个同类层堆叠而成,每层后面接同一种激活函数,最后是分类器,按你选择的方法初始化(偏置为 0)。"
        "在真实的形状图像上做一次前向和一次反向传播:对每一层,画出它的激活值 h 的直方图(蓝色)和反向传播带给它的梯度 "
        "dL/dh 的直方图(橙色),所有层使用同一刻度,每个小图下方写着该层的标准差 σ。",
    ),
    "init.stack.kind": ("Layers", "层的类型"),
    "init.stack.kind_linear": ("linear (128 units)", "全连接(128 个单元)"),
    "init.stack.kind_conv": ("conv 3x3 (8 filters)", "3x3 卷积(8 个卷积核)"),
    "init.stack.activation": ("Activation", "激活函数"),
    "init.stack.act_tanh": ("tanh", "tanh"),
    "init.stack.act_relu": ("ReLU", "ReLU"),
    "init.stack.scheme": ("Initialisation", "初始化方法"),
    "init.scheme.zeros": ("all zeros", "全零"),
    "init.scheme.constant": ("a constant", "常数"),
    "init.scheme.small": ("small normal σ = 0.01", "小的正态分布 σ = 0.01"),
    "init.scheme.large": ("large normal σ = 1", "大的正态分布 σ = 1"),
    "init.scheme.xavier": ("Xavier / Glorot", "Xavier / Glorot 初始化"),
    "init.scheme.he": ("He / Kaiming", "He / Kaiming 初始化"),
    "init.scheme_about.zeros": (
        "Every weight 0 (`nn.init.zeros_`).",
        "所有权重为 0(`nn.init.zeros_`)。",
    ),
    "init.scheme_about.constant": (
        "Every weight 0.05 (`nn.init.constant_`).",
        "所有权重为 0.05(`nn.init.constant_`)。",
    ),
    "init.scheme_about.small": (
        "w ~ N(0, 0.01²) (`nn.init.normal_(std=0.01)`), whatever the layer's size.",
        "w ~ N(0, 0.01²)(`nn.init.normal_(std=0.01)`),与层的大小无关。",
    ),
    "init.scheme_about.large": (
        "w ~ N(0, 1) (`nn.init.normal_(std=1)`), whatever the layer's size.",
        "w ~ N(0, 1)(`nn.init.normal_(std=1)`),与层的大小无关。",
    ),
    "init.scheme_about.xavier": (
        "Glorot and Bengio (2010): Var(w) = 2/(n_in + n_out) (`nn.init.xavier_normal_`), made "
        "to keep the signal's variance through tanh-like layers.",
        "Glorot 和 Bengio(2010):Var(w) = 2/(n_in + n_out)(`nn.init.xavier_normal_`),"
        "目的是让信号的方差在类似 tanh 的层之间保持不变。",
    ),
    "init.scheme_about.he": (
        "He et al. (2015): Var(w) = 2/n_in (`nn.init.kaiming_normal_`): ReLU zeroes half of "
        "its inputs, the factor 2 makes up for it.",
        "He 等(2015):Var(w) = 2/n_in(`nn.init.kaiming_normal_`):ReLU 会把一半输入置零,系数 2 正好补回来。",
    ),
    "init.verdict.dead": (
        "**Dead.** Every activation and every gradient dL/dh is exactly 0: with zero weights "
        "each layer outputs activation(0 + bias 0) = 0 (tanh(0) = 0, ReLU(0) = 0), and the "
        "gradient that reaches a layer is multiplied by the zero weights above it.",
        "**完全静止。**每个激活值和每个梯度 dL/dh 都恰好为 0:权重为零时,每层输出 激活函数(0 + 偏置 0) = 0"
        "(tanh(0) = 0,ReLU(0) = 0),而传到某一层的梯度要乘以它上面那些为零的权重。",
    ),
    "init.verdict.act_vanish": (
        "**Vanishing activations.** Their standard deviation falls from {a1} in layer 1 to {a10} "
        "in layer {last}: the signal dies out on its way up.",
        "**激活值消失。**标准差从第 1 层的 {a1} 降到第 {last} 层的 {a10}:信号在向上传递的过程中逐渐消失。",
    ),
    "init.verdict.act_explode": (
        "**Exploding activations.** Their standard deviation grows from {a1} in layer 1 to "
        "{a10} in layer {last}.",
        "**激活值爆炸。**标准差从第 1 层的 {a1} 增长到第 {last} 层的 {a10}。",
    ),
    "init.verdict.grad_vanish": (
        "**Vanishing gradients.** The gradient's standard deviation is {g10} at layer {last} "
        "and only {g1} by the time back-propagation reaches layer 1: the first layers barely "
        "learn.",
        "**梯度消失。**梯度的标准差在第 {last} 层是 {g10},反向传播到第 1 层时只剩 {g1}:前面几层几乎学不动。",
    ),
    "init.verdict.grad_explode": (
        "**Exploding gradients.** The gradient's standard deviation is {g10} at layer {last} "
        "and {g1} by the time it reaches layer 1: the first layers would take huge steps.",
        "**梯度爆炸。**梯度的标准差在第 {last} 层是 {g10},到第 1 层时变成 {g1}:前面几层会迈出巨大的步子。",
    ),
    "init.verdict.saturated": (
        "**Saturated.** {saturated}% of the last layer's activations sit at |h| > 0.99, on "
        "tanh's flat ends where its slope is almost 0.",
        "**饱和。**最后一层有 {saturated}% 的激活值满足 |h| > 0.99,位于 tanh 两端平坦的区域,那里的斜率几乎为 0。",
    ),
    "init.verdict.healthy": (
        "**Healthy.** From layer 1 to layer {last}, the activations' standard deviation goes "
        "from {a1} to {a10} and the gradient's from {g10} back to {g1}: the signal gets through "
        "in both directions.",
        "**正常。**从第 1 层到第 {last} 层,激活值的标准差从 {a1} 变为 {a10},梯度的标准差从 {g10} 变回 {g1}:"
        "信号在两个方向上都能顺利传递。",
    ),
    "init.stack.notice": (
        "**What to notice.** Compare the lines of the last chart. Small weights shrink the "
        "signal at every layer (each layer multiplies its standard deviation by about "
        "σ·√n, far below 1); large weights blow it up, or with tanh saturate it. Xavier keeps "
        "tanh alive but lets ReLU's signal fade, since ReLU zeroes half of it at every layer; "
        "He's factor 2 makes up for that half. All zeros and a constant look calm in numbers, "
        "but part 3 shows why they cannot learn.",
        "**值得注意。**比较最后一张图中的各条线。小权重让信号每经过一层就缩小一次(每层把标准差乘以约 σ·√n,远小于 1);"
        "大权重让信号爆炸,或者让 tanh 饱和。Xavier 能让 tanh 网络保持活力,却会让 ReLU 的信号逐渐衰减,"
        "因为 ReLU 每层都把一半信号置零;He 的系数 2 正好补回这一半。全零和常数在数字上看起来很平静,"
        "但第 3 部分会展示它们为什么学不动。",
    ),
    # ---- the charts ----
    "init.viz.hist_act": (
        "Activations h of each layer, layer 1 on the left (every panel spans ±{reach})",
        "每一层的激活值 h,左边是第 1 层(每个小图的范围都是 ±{reach})",
    ),
    "init.viz.hist_grad": (
        "Gradients dL/dh reaching each layer, layer 1 on the left (every panel spans ±{reach})",
        "传到每一层的梯度 dL/dh,左边是第 1 层(每个小图的范围都是 ±{reach})",
    ),
    "init.viz.panel": ("L{layer}<br>σ {std}", "第 {layer} 层<br>σ {std}"),
    "init.viz.std_title": (
        "Standard deviation per layer, every initialisation",
        "每种初始化下各层的标准差",
    ),
    "init.viz.layer": ("layer", "层"),
    "init.viz.act_std": ("σ of activations", "激活值的 σ"),
    "init.viz.grad_std": ("σ of gradients dL/dh", "梯度 dL/dh 的 σ"),
    "init.viz.all_zero": ("{name} (all 0: not drawn)", "{name}(全为 0:无法画出)"),
    # ---- 2. He's formula ----
    "init.he.title": (
        "2. He's Var(w) = 2/n, with your network",
        "2. 用你的网络代入 He 的 Var(w) = 2/n",
    ),
    "init.he.intro": (
        "He et al. (2015) showed that a ReLU layer keeps the variance of its signal when its "
        "weights have Var(w) = 2/n, where n is the layer's **fan-in**: the number of inputs one "
        "output neuron sums, not the number of weights of the whole layer. For a convolution, "
        "n = (input channels / groups) × kernel height × kernel width; for a linear layer, n = "
        "its input features. PyTorch's `nn.init.kaiming_normal_(w, nonlinearity='relu')` draws "
        "w ~ N(0, 2/n).",
        "He 等(2015)证明:当权重满足 Var(w) = 2/n 时,ReLU 层能保持信号的方差,其中 n 是该层的**扇入**:"
        "一个输出神经元求和的输入个数,而不是整层权重的个数。对卷积层,n = (输入通道数 / 分组数) × 卷积核高 × 卷积核宽;"
        "对全连接层,n = 输入特征数。PyTorch 的 `nn.init.kaiming_normal_(w, nonlinearity='relu')` 按 w ~ N(0, 2/n) 取值。",
    ),
    "init.he.from_build": (
        "Your network from the Build page: {name}.",
        "来自“搭建 CNN”页面的网络:{name}。",
    ),
    "init.he.from_preset": (
        "No network built yet: this is the preset {name}. Build your own and come back.",
        "还没有搭建网络:这里使用预设网络 {name}。去搭建你自己的网络后再回来看看。",
    ),
    "init.he.custom": ("your network", "你的网络"),
    "init.he.to_build": ("Open the Build page", "打开“搭建 CNN”页面"),
    "init.he.none": (
        "This network has no conv or linear layer to initialise.",
        "这个网络没有需要初始化的卷积层或全连接层。",
    ),
    "init.he.pick": ("Layer", "层"),
    "init.he.layer": ("layer {number}: {label}", "第 {number} 层:{label}"),
    "init.he.n_conv": (
        "n = C_in × k_h × k_w = {c} × {kh} × {kw} = {n}",
        "n = C_in × k_h × k_w = {c} × {kh} × {kw} = {n}",
    ),
    "init.he.n_conv_groups": (
        "n = (C_in / groups) × k_h × k_w = ({c} / {g}) × {kh} × {kw} = {n}",
        "n = (C_in / 分组数) × k_h × k_w = ({c} / {g}) × {kh} × {kw} = {n}",
    ),
    "init.he.n_linear": ("n = in_features = {n}", "n = 输入特征数 = {n}"),
    "init.he.filled": (
        "{parts}  \nVar(w) = 2 / n = 2 / {n} = **{var}**, so the weights are drawn with standard "
        "deviation √(2/n) = **{std}**.",
        "{parts}  \nVar(w) = 2 / n = 2 / {n} = **{var}**,所以权重按标准差 √(2/n) = **{std}** 取值。",
    ),
    "init.he.col_layer": ("layer", "层"),
    "init.he.col_n": ("fan-in n", "扇入 n"),
    "init.he.col_var": ("Var(w) = 2/n", "Var(w) = 2/n"),
    "init.he.col_std": ("std √(2/n)", "标准差 √(2/n)"),
    "init.he.notice": (
        "**What to notice.** Wide layers get small weights: a layer that sums 4608 inputs "
        "needs weights ten times smaller than one that sums 46, so that the sum has the same "
        "size. A fixed σ = 0.01 is right for only one fan-in (n = 20 000), which is why part 1's "
        "small normal fades out.",
        "**值得注意。**越宽的层权重越小:一个对 4608 个输入求和的层,权重要比对 46 个输入求和的层小十倍,求和的结果才一样大。"
        "固定的 σ = 0.01 只对一种扇入(n = 20 000)恰好合适,这就是第 1 部分中小正态分布会逐渐消失的原因。",
    ),
    # ---- 3. symmetry ----
    "init.sym.title": (
        "3. Zeros, a constant, random: the symmetry story",
        "3. 全零、常数、随机:对称性的故事",
    ),
    "init.sym.intro": (
        "Train the same small ReLU CNN (conv 8 filters → conv 16 → linear 32 → 6 classes) three "
        "times on the same batches, with SGD and momentum, starting from:\n\n"
        "- **all zeros.** Every hidden activation is ReLU(0) = 0, and every gradient that "
        "reaches a weight is multiplied either by those zero activations or by the zero "
        "weights above it. No gradient reaches the hidden weights at all: nothing learns but "
        "the last layer's bias, which only learns how common each class is. This is not yet "
        "the symmetry problem; it is no signal at all.\n"
        "- **a constant ({constant}).** Now the signal flows, but every filter of a layer "
        "computes the same thing, so they all receive the same gradient and make the same "
        "step: they stay identical to their siblings for ever. This is the symmetry problem: a "
        "layer of 16 identical filters is a layer of one.\n"
        "- **random (He).** Different starting filters get different gradients: the symmetry "
        "is broken and each filter can learn its own feature.",
        "用相同的批次、带动量的 SGD,把同一个小型 ReLU CNN(卷积 8 个核 → 卷积 16 个核 → 全连接 32 → 6 类)训练三次,"
        "分别从以下初值开始:\n\n"
        "- **全零。**每个隐藏层激活值都是 ReLU(0) = 0,传到每个权重的梯度要么乘以这些为零的激活值,要么乘以它上面为零的权重。"
        "隐藏层的权重根本收不到梯度:除了最后一层的偏置(它只学到每个类别有多常见),什么都学不到。这还不是对称性问题,"
        "而是根本没有信号。\n"
        "- **常数({constant})。**这时信号能够流动,但一层中的每个卷积核都在计算同样的东西,因此它们收到同样的梯度、"
        "走同样的一步:它们永远和兄弟卷积核一模一样。这才是对称性问题:16 个相同卷积核组成的层,其实只相当于 1 个。\n"
        "- **随机(He)。**不同的初始卷积核得到不同的梯度:对称性被打破,每个卷积核都能学到自己的特征。",
    ),
    "init.sym.start": ("Train the three runs", "训练这三次"),
    "init.sym.stop": ("Stop", "停止"),
    "init.sym.busy": ("The runs are still training.", "训练仍在进行中。"),
    "init.sym.queued": (
        "Waiting for a free worker (position {position} in the queue).",
        "正在等待空闲的工作进程(队列中第 {position} 位)。",
    ),
    "init.sym.progress": ("training from {scheme}", "正在从 {scheme} 初始化开始训练"),
    "init.sym.failed": ("The training stopped: {error}", "训练停止了:{error}"),
    "init.sym.run_zeros": ("Started from all zeros", "从全零开始"),
    "init.sym.run_constant": ("Started from a constant", "从常数开始"),
    "init.sym.run_he": ("Started from random (He) weights", "从随机(He)权重开始"),
    "init.sym.run_small": ("Started from small random weights", "从小的随机权重开始"),
    "init.sym.run_large": ("Started from large random weights", "从大的随机权重开始"),
    "init.sym.run_xavier": ("Started from Xavier weights", "从 Xavier 权重开始"),
    "init.sym.before": ("first conv layer's 8 filters, before", "第一个卷积层的 8 个卷积核,训练前"),
    "init.sym.after": ("after training", "训练后"),
    "init.sym.after_zeros": (
        "Only {moved} changed; every other weight and bias is still exactly 0. Validation "
        "accuracy {acc}%: a guess of the most common class.",
        "只有 {moved} 发生了变化;其他所有权重和偏置仍然恰好为 0。验证准确率 {acc}%:只是在猜最常见的类别。",
    ),
    "init.sym.after_constant": (
        "Every parameter moved ({moved}), yet the filters of each hidden layer are still "
        "identical: the largest difference between sibling filters is {spread}. Validation "
        "accuracy {acc}%. (The output layer's rows do differ: each class has its own target.)",
        "每个参数都发生了变化({moved}),但每个隐藏层的卷积核仍然一模一样:兄弟卷积核之间的最大差别是 {spread}。"
        "验证准确率 {acc}%。(输出层的各行确实不同:每个类别有自己的目标。)",
    ),
    "init.sym.after_he": (
        "The filters started different and learned different features (largest difference "
        "between sibling filters of a hidden layer: {spread}). Validation accuracy {acc}%.",
        "卷积核一开始就各不相同,学到了不同的特征(隐藏层兄弟卷积核之间的最大差别:{spread})。验证准确率 {acc}%。",
    ),
    "init.sym.after_small": ("Validation accuracy {acc}%.", "验证准确率 {acc}%。"),
    "init.sym.after_large": ("Validation accuracy {acc}%.", "验证准确率 {acc}%。"),
    "init.sym.after_xavier": ("Validation accuracy {acc}%.", "验证准确率 {acc}%。"),
    "init.sym.table": ("Every parameter: how much it moved", "每个参数:变化了多少"),
    "init.sym.col_param": ("parameter", "参数"),
    "init.sym.col_changed": ("largest change |Δ|", "最大变化 |Δ|"),
    "init.sym.col_spread": (
        "largest difference between its filters (rows)",
        "其卷积核(各行)之间的最大差别",
    ),
    "init.sym.notice": (
        '**What to notice.** "Don\'t start at zero" has two reasons that are easy to confuse. '
        "All zeros: no gradient reaches the hidden weights, so they never move. A constant: "
        "they move, but in lockstep, so a layer never has more than one distinct filter. Only "
        "randomness gives each filter its own start, and scaling that randomness by the "
        "fan-in (part 2) keeps the signal alive through depth (part 1).",
        "**值得注意。**“不要从零开始”有两个容易混淆的原因。全零:隐藏层的权重收不到梯度,所以永远不动。常数:"
        "它们会动,但步调完全一致,所以一层永远只有一个不同的卷积核。只有随机性才能让每个卷积核有自己的起点,"
        "而按扇入缩放这种随机性(第 2 部分)能让信号在深层网络中保持活力(第 1 部分)。",
    ),
}
