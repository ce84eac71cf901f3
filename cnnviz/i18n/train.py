"""Strings of the "Train live" page, the training engine's problems/messages and the train CLI."""

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- problems (TrainConfig validation and the server's caps)
    "problem.train_bad_choice": (
        "{value} is not available; choose one of: {allowed}.",
        "{value} 不可用;请从以下选项中选择:{allowed}。",
    ),
    "problem.train_not_number": (
        "{value} is not a valid number; enter a number.",
        "{value} 不是有效的数字;请输入一个数字。",
    ),
    "problem.train_out_of_range": (
        "{value} is out of range; choose a value from {low} to {high}.",
        "{value} 超出范围;请选择 {low} 到 {high} 之间的值。",
    ),
    "problem.train_input_mismatch": (
        "the network expects inputs of shape {net} but the images are {data}; change the network's input or pick another dataset.",
        "网络的输入形状是 {net},但图像的形状是 {data};请修改网络的输入,或换一个数据集。",
    ),
    "problem.train_classes_mismatch": (
        "the network outputs {net} scores but the dataset has {classes} classes; make the last Linear layer output {classes}.",
        "网络输出 {net} 个分数,但数据集有 {classes} 个类别;请把最后一个全连接层的输出设为 {classes}。",
    ),
    "problem.train_dataset_too_big": (
        "the dataset has {images} images, too many for this shared server; use at most {maximum} images (lower the sample cap).",
        "数据集有 {images} 张图像,对这台共享服务器来说太多了;最多使用 {maximum} 张(请降低样本上限)。",
    ),
    "problem.train_batch_too_big": (
        "a batch of {batch_size} images needs too much memory for this network; use a batch size of at most {maximum}.",
        "对这个网络来说,{batch_size} 张图像的批次需要太多内存;请把批大小设为不超过 {maximum}。",
    ),
    # ---- divergence and job errors
    "train.diverged.nan": (
        "Training diverged: the loss became {loss} (not a number) at learning rate {lr}. The steps were too large. Lower the learning rate (try 10x smaller), or turn on gradient clipping.",
        "训练发散了:在学习率 {lr} 下,损失变成了 {loss}(不是一个数)。每一步走得太大了。请降低学习率(试试缩小 10 倍),或开启梯度裁剪。",
    ),
    "train.diverged.exploding": (
        "Training diverged: the loss exploded to {loss} at learning rate {lr}, far above where it started. Lower the learning rate (try 10x smaller), or turn on gradient clipping.",
        "训练发散了:在学习率 {lr} 下,损失暴涨到 {loss},远高于起始值。请降低学习率(试试缩小 10 倍),或开启梯度裁剪。",
    ),
    "train.error.spec": (
        "The network cannot be trained: {error}",
        "这个网络无法训练:{error}",
    ),
    # ---- checkpoints
    "train.checkpoint.error.too_big": (
        "This checkpoint is too large (the limit is {maximum} MB).",
        "这个检查点文件太大了(上限为 {maximum} MB)。",
    ),
    "train.checkpoint.error.not_zip": (
        "This is not a cnnviz checkpoint (not a readable zip file). Upload a file saved by this page.",
        "这不是 cnnviz 检查点(不是可读取的 zip 文件)。请上传由本页面保存的文件。",
    ),
    "train.checkpoint.error.entries": (
        "This checkpoint holds the wrong files ({found}); a cnnviz checkpoint holds exactly {expected}.",
        "这个检查点包含的文件不对({found});cnnviz 检查点应当恰好包含 {expected}。",
    ),
    "train.checkpoint.error.meta": (
        "This checkpoint's meta.json is damaged or not from cnnviz.",
        "这个检查点的 meta.json 已损坏,或不是由 cnnviz 生成的。",
    ),
    "train.checkpoint.error.version": (
        "This checkpoint has format version {version}; this app reads version {expected}.",
        "这个检查点的格式版本是 {version};本应用只能读取版本 {expected}。",
    ),
    "train.checkpoint.error.spec": (
        "The network stored in this checkpoint is not valid: {error}",
        "检查点中保存的网络无效:{error}",
    ),
    "train.checkpoint.error.weights": (
        "The weights in this checkpoint are damaged (not a valid safetensors file).",
        "检查点中的权重已损坏(不是有效的 safetensors 文件)。",
    ),
    "train.checkpoint.error.names": (
        "The weights do not belong to the stored network (missing: {missing}; unexpected: {unexpected}).",
        "这些权重与保存的网络不匹配(缺少:{missing};多出:{unexpected})。",
    ),
    "train.checkpoint.error.shape": (
        "The weight {name} has shape {found} but the network needs {expected}: the file was changed.",
        "权重 {name} 的形状是 {found},但网络需要 {expected}:文件已被修改。",
    ),
    "train.checkpoint.error.not_classifier": (
        "The network in this checkpoint does not end in one score per class (its output is "
        "{shape}), so it cannot classify a picture.",
        "检查点中的网络最后输出的不是每个类别一个分数(输出形状为 {shape}),因此无法对图片分类。",
    ),
    "train.checkpoint.error.meta_not_finite": (
        "meta.json contains NaN or Infinity: the normalisation mean and std must be finite "
        "numbers.",
        "meta.json 中含有 NaN 或 Infinity:归一化用的 mean 和 std 必须是有限数。",
    ),
    "train.checkpoint.error.norm_length": (
        "meta.json gives {found} {field} value(s), but the network's input has {channels} "
        "channel(s): give one value per channel (or none).",
        "meta.json 给出了 {found} 个 {field} 值,但网络的输入有 {channels} 个通道:"
        "请每个通道给一个值(或者都不给)。",
    ),
    "train.checkpoint.error.norm_pair": (
        "meta.json gives mean without std (or std without mean): give both or neither.",
        "meta.json 只给了 mean 而没有 std(或反过来):请两者都给,或都不给。",
    ),
    "train.checkpoint.error.norm_value": (
        "meta.json has {field} = {value}; every {field} value must be a finite number from "
        "{low:g} to {high:g}.",
        "meta.json 中 {field} = {value};每个 {field} 值都必须是 {low:g} 到 {high:g} 之间的有限数。",
    ),
    "train.checkpoint.error.class_count": (
        "meta.json names {found} class(es), but the network has {outputs} outputs: give one "
        "name per output (or none).",
        "meta.json 列出了 {found} 个类别名称,但网络有 {outputs} 个输出:"
        "请每个输出给一个名称(或者都不给)。",
    ),
    "train.checkpoint.error.class_name": (
        "meta.json has an empty class name or one longer than {limit} characters.",
        "meta.json 中有空的类别名称,或者长度超过 {limit} 个字符的名称。",
    ),
    "train.checkpoint.error.not_finite": (
        "The weight {name} contains NaN or infinite values: this network would predict nothing "
        "useful. Save it again from a run that did not diverge.",
        "权重 {name} 中含有 NaN 或无穷大:这个网络无法给出有意义的预测。"
        "请从没有发散的训练中重新保存。",
    ),
    "train.checkpoint.error.negative_variance": (
        "The batch-norm statistic {name} has negative variances: the file was changed.",
        "批归一化统计量 {name} 中有负的方差:文件已被修改。",
    ),
    # ---- figure texts (cnnviz.viz.train)
    "train.viz.raw": ("per batch", "每批"),
    "train.viz.smoothed": ("smoothed", "平滑"),
    "train.viz.step": ("step (batches seen)", "步数(已训练的批次)"),
    "train.viz.loss": ("loss", "损失"),
    "train.viz.loss_per_batch": ("Loss per batch", "每批的损失"),
    "train.viz.loss_per_epoch": ("Loss per epoch: train vs validation", "每轮的损失:训练 vs 验证"),
    "train.viz.acc_per_epoch": (
        "Accuracy per epoch: train vs validation",
        "每轮的准确率:训练 vs 验证",
    ),
    "train.viz.accuracy": ("accuracy", "准确率"),
    "train.viz.train": ("train", "训练"),
    "train.viz.val": ("validation", "验证"),
    "train.viz.epoch": ("epoch", "轮次"),
    "train.viz.lr": ("learning rate", "学习率"),
    "train.viz.lr_curve": (
        "Learning rate during training (the schedule)",
        "训练过程中的学习率(学习率调度)",
    ),
    "train.viz.grad_norms": (
        "Gradient norm per layer (log scale)",
        "每层的梯度范数(对数坐标)",
    ),
    "train.viz.weight_norms": ("Weight norm per layer (log scale)", "每层的权重范数(对数坐标)"),
    "train.viz.norm": ("L2 norm", "L2 范数"),
    "train.viz.channel": ("channel", "通道"),
    "train.viz.value": ("value", "数值"),
    "train.viz.unit": ("unit", "单元"),
    "train.viz.feature_maps_title": (
        "{name}: {count} feature maps of {h}x{w}",
        "{name}:{count} 张 {h}x{w} 的特征图",
    ),
    "train.viz.filters_title": (
        "First layer's filters: {count} kernels of {h}x{w}",
        "第一层的卷积核:{count} 个 {h}x{w} 的核",
    ),
    "train.viz.vector_title": ("{name}: {count} values", "{name}:{count} 个数值"),
    "train.viz.vector_title_capped": (
        "{name}: {count} values (the first {shown} shown)",
        "{name}:{count} 个数值(显示前 {shown} 个)",
    ),
    "train.viz.true": ("true class", "真实类别"),
    "train.viz.predicted": ("predicted class", "预测类别"),
    "train.viz.count": ("images", "图像数"),
    "train.viz.confusion": ("Confusion matrix (validation set)", "混淆矩阵(验证集)"),
    "train.viz.per_class": ("Accuracy per class (validation set)", "每个类别的准确率(验证集)"),
    "train.viz.probability": ("probability", "概率"),
    "train.viz.prediction": ("Prediction", "预测结果"),
    # ---- page: header and setup
    "train.title": ("Train live", "实时训练"),
    "train.intro": (
        "Train a CNN and watch it learn: the loss falls, the accuracy rises, and the feature maps of one fixed image change as the filters learn. Training runs in the background: you can pause, resume, stop, or visit other pages meanwhile.",
        "训练一个 CNN,看着它学习:损失下降、准确率上升,同一张固定图像的特征图随着卷积核的学习而变化。训练在后台进行:你可以暂停、继续、停止,也可以同时浏览其他页面。",
    ),
    "train.setup.title": ("1. Network and data", "1. 网络与数据"),
    "train.net.title": ("Network", "网络"),
    "train.net.label": ("Network to train", "要训练的网络"),
    "train.net.help": (
        "Your network from the Build page, or one of the classic presets.",
        "你在“搭建 CNN”页面搭建的网络,或一个经典的预设网络。",
    ),
    "train.net.from_build": (
        "Your network from the Build page ({name})",
        "你在搭建页面的网络({name})",
    ),
    "train.net.custom": ("custom network", "自定义网络"),
    "train.net.summary": (
        "{layers} layers, {params} parameters, input {shape}",
        "{layers} 层,{params} 个参数,输入 {shape}",
    ),
    "train.data.title": ("Data", "数据"),
    "train.data.label": ("Dataset", "数据集"),
    "train.data.help": (
        "The built-in shapes are generated on the spot (no download). Real datasets are read from the data folder.",
        "内置的几何图形数据集当场生成(无需下载)。真实数据集从数据文件夹中读取。",
    ),
    "train.data.image_size": ("Image size (pixels)", "图像尺寸(像素)"),
    "train.data.samples": ("Number of images (train + validation)", "图像数量(训练 + 验证)"),
    "train.data.samples_help": (
        "20% of them are kept aside to validate: the network never trains on those.",
        "其中 20% 留作验证集:网络从不在这些图像上训练。",
    ),
    "train.data.noise": ("Pixel noise", "像素噪声"),
    "train.data.noise_help": (
        "Standard deviation of the random noise added to every pixel: more noise, harder task.",
        "加到每个像素上的随机噪声的标准差:噪声越大,任务越难。",
    ),
    "train.data.folder": ("Data folder", "数据文件夹"),
    "train.data.folder_help": (
        "Where the dataset files are (or will be downloaded to) on the server.",
        "数据集文件在服务器上的位置(或下载到的位置)。",
    ),
    "train.data.folder_server": (
        "Data folder: the server's (set by whoever runs it, with CNNVIZ_DATA_DIR). Datasets that "
        "are not there can be downloaded into it below, when the server is online.",
        "数据文件夹:由服务器决定(运行服务器的人用 CNNVIZ_DATA_DIR 设置)。"
        "如果服务器可以联网,缺少的数据集可以在下面下载到这个文件夹。",
    ),
    "train.data.max_samples": ("Images to use at most", "最多使用的图像数"),
    "train.data.max_samples_help": (
        "A stratified sample keeps training quick on a shared computer.",
        "按类别分层抽样,让训练在共享的计算机上也能很快完成。",
    ),
    "train.data.download": ("Download", "下载"),
    "train.data.download_help": (
        "Download the dataset if its files are missing (needs internet access on the server).",
        "如果缺少数据集文件,就下载它(服务器需要能联网)。",
    ),
    "train.data.downloading": ("Downloading the dataset…", "正在下载数据集……"),
    "train.data.upload": (
        "Your images: a zip of class folders",
        "你的图片:按类别分文件夹的 zip 压缩包",
    ),
    "train.data.upload_help": (
        "One folder per class, for example cat/1.png, cat/2.png, dog/1.jpg. At least two classes with two images each.",
        "每个类别一个文件夹,例如 cat/1.png、cat/2.png、dog/1.jpg。至少两个类别,每类至少两张图片。",
    ),
    "train.data.upload_wait": (
        "Upload a zip file to train on your own images.",
        "上传一个 zip 文件,用你自己的图片训练。",
    ),
    "train.data.label_noise": ("Label noise (wrong training labels)", "标签噪声(错误的训练标签)"),
    "train.data.label_noise_help": (
        "This fraction of the training images gets a wrong class; validation labels stay correct.",
        "这一比例的训练图像会被标上错误的类别;验证集的标签保持正确。",
    ),
    "train.data.train_size": ("Training images to use (0 = all)", "使用的训练图像数(0 = 全部)"),
    "train.data.train_size_help": (
        "Train on a subset to see what less data does (overfitting).",
        "只用一部分数据训练,看看数据少了会怎样(过拟合)。",
    ),
    "train.data.preview": ("Sample images", "样例图像"),
    "train.data.loading": ("Preparing the data…", "正在准备数据……"),
    "train.data.summary": (
        "{train} training and {val} validation images, {classes} classes, each {shape}",
        "{train} 张训练图像和 {val} 张验证图像,{classes} 个类别,每张 {shape}",
    ),
    "train.data.split_used": (
        "Training and validation use {used} of the {split} images of the official training "
        "split (a seeded split; the cap keeps runs quick). The {test} official test images stay "
        "apart: they are measured once, when the run ends.",
        "训练和验证使用官方训练集 {split} 张图像中的 {used} 张(按种子划分;限制数量是为了训练快一些)。"
        "{test} 张官方测试图像单独留出:只在训练结束时测一次。",
    ),
    "train.data.no_test_split": (
        "This data has no official test split (built-in shapes and your own images do not): the "
        "validation accuracy is the only measure on images the network never trained on.",
        "这份数据没有官方测试集(内置图形和你自己的图片都没有):"
        "验证准确率是网络在没训练过的图像上的唯一衡量。",
    ),
    "train.fit.input": (
        "The network's input was changed from {net} to {data} to match the images.",
        "为了匹配图像,网络的输入已从 {net} 改为 {data}。",
    ),
    "train.fit.resize": (
        "This network needs {net} inputs, so the images ({data}) are resized and converted to {net}.",
        "这个网络需要 {net} 的输入,所以图像({data})被缩放并转换为 {net}。",
    ),
    "train.fit.classes": (
        "The last layer now outputs {classes} scores: one per class of this dataset.",
        "最后一层现在输出 {classes} 个分数:这个数据集的每个类别一个。",
    ),
    # ---- augmentation
    "train.aug.title": ("Data augmentation", "数据增强"),
    "train.aug.enabled": ("Augment the training images", "对训练图像做增强"),
    "train.aug.help": (
        "Every batch sees randomly shifted, rotated (and flipped) copies: more variety, less overfitting.",
        "每个批次看到的都是随机平移、旋转(和翻转)后的副本:变化更多,过拟合更少。",
    ),
    "train.aug.preview": (
        "One training image and eight random augmented versions of it (with the settings above):",
        "一张训练图像,以及它按上面的设置随机增强后的八个版本:",
    ),
    "train.aug.shift": ("Shift (pixels)", "平移(像素)"),
    "train.aug.rotation": ("Rotation (degrees)", "旋转(度)"),
    "train.aug.flip": ("Mirror left-right", "左右镜像"),
    "train.aug.flip_help": (
        "Only sensible when a mirrored image keeps its class (not for digits).",
        "只有镜像后类别不变时才合适(数字就不行)。",
    ),
    "train.aug.alexnet": ("AlexNet's augmentation", "AlexNet 的数据增强"),
    "train.aug.alexnet_help": (
        "From Krizhevsky et al. (2012), as the article 「卷积神经网络 (AlexNet)」 describes it: "
        "random crops with their mirror images, colour noise along the principal components of "
        "the training set's RGB values, and ten-crop evaluation at the end (the four corners "
        "and the centre, each also mirrored, predictions averaged).",
        "出自 Krizhevsky 等人(2012),也是文章「卷积神经网络 (AlexNet)」介绍的做法:随机裁剪并水平翻转,"
        "沿训练集 RGB 值的主成分加颜色扰动,最后用十裁剪评估(四个角和中心,各自再翻转一次,对预测求平均)。",
    ),
    "train.aug.crop": ("Random crop: padding (pixels)", "随机裁剪:填充(像素)"),
    "train.aug.crop_help": (
        "Pad each image with this many black pixels on every side, then cut out a window of the "
        "original size at a random position (torchvision's `RandomCrop(size, padding)`). AlexNet "
        "cut 224x224 windows out of 256x256 images; at 28 to 32 pixels that is about 2.",
        "先在每张图像四周填充这么多个黑色像素,再在随机位置裁出原尺寸的窗口"
        "(torchvision 的 `RandomCrop(size, padding)`)。AlexNet 从 256x256 的图像中裁出 224x224 的窗口;"
        "对 28 到 32 像素的图像,大约相当于填充 2。",
    ),
    "train.aug.pca": ("PCA colour: σ of α", "PCA 颜色扰动:α 的 σ"),
    "train.aug.pca_help": (
        "For each image, draw α ~ N(0, σ²) for each principal component of the training set's "
        "RGB covariance and add Σ α·λ·p to every pixel (p an eigenvector, λ its eigenvalue): "
        "the lighting and colour change, the object does not. AlexNet used σ = 0.1.",
        "对每张图像,为训练集 RGB 协方差矩阵的每个主成分抽取 α ~ N(0, σ²),"
        "再给每个像素加上 Σ α·λ·p(p 是特征向量,λ 是对应的特征值):光照和颜色变了,物体没有变。"
        "AlexNet 用的是 σ = 0.1。",
    ),
    "train.aug.ten_crop": ("Ten-crop evaluation", "十裁剪评估"),
    "train.aug.ten_crop_help": (
        "At the end, also classify each test image from ten crops of its padded version (four "
        "corners, the centre, and their mirror images) and average the ten softmax outputs; "
        "the results show the accuracy it gains. Needs random crops.",
        "训练结束时,再从每张测试图像填充后的版本中取十个裁剪块(四个角、中心以及它们的镜像)分别分类,"
        "并对十个 softmax 输出求平均;结果部分会显示它带来的准确率提升。需要先开启随机裁剪。",
    ),
    "train.aug.recipe": ("AlexNet's recipe", "AlexNet 的配方"),
    "train.aug.recipe_help": (
        "Random crops with mirror images, PCA colour with σ = 0.1, ten-crop evaluation; no "
        "shift, rotation or jitter.",
        "随机裁剪加水平翻转,σ = 0.1 的 PCA 颜色扰动,十裁剪评估;不做平移、旋转和亮度抖动。",
    ),
    "train.aug.jitter": ("Brightness / contrast jitter", "亮度/对比度抖动"),
    "train.aug.jitter_help": (
        "Random brightness and contrast changes of up to this fraction.",
        "亮度和对比度随机变化,幅度最多为这个比例。",
    ),
    # ---- hyperparameters
    "train.hp.title": ("2. Hyperparameters", "2. 超参数"),
    "train.hp.optimizer": ("Optimizer", "优化器"),
    "train.hp.optimizer_help": (
        "How each step uses the gradient. Adam adapts the step size per weight; SGD takes plain steps.",
        "每一步如何利用梯度。Adam 为每个权重自适应步长;SGD 直接沿梯度走一步。",
    ),
    "train.hp.lr": ("Learning rate", "学习率"),
    "train.hp.lr_help": (
        "The size of each step. Too small: slow. Too large (try 100): the loss explodes.",
        "每一步的大小。太小:学得慢。太大(试试 100):损失会爆炸。",
    ),
    "train.hp.momentum": ("Momentum", "动量"),
    "train.hp.schedule": ("Learning-rate schedule", "学习率调度"),
    "train.hp.schedule_help": (
        "How the learning rate changes during training (plotted below).",
        "训练过程中学习率如何变化(见下方曲线)。",
    ),
    "train.hp.batch_size": ("Batch size", "批大小"),
    "train.hp.batch_help": (
        "Images per step: the gradient is averaged over them.",
        "每一步使用的图像数:梯度是在它们上面求平均的。",
    ),
    "train.hp.epochs": ("Epochs", "训练轮数"),
    "train.hp.epochs_help": (
        "One epoch = every training image once (at most 100).",
        "一轮 = 每张训练图像各用一次(最多 100 轮)。",
    ),
    "train.hp.weight_decay": ("Weight decay (L2)", "权重衰减(L2)"),
    "train.hp.weight_decay_help": (
        "PyTorch's weight_decay = λ. With SGD it adds λ·w to every gradient (the gradient of the L2 penalty (λ/2)·Σw²), so every weight is pulled towards zero each step; Adam and the other adaptive optimizers rescale that pull weight by weight; AdamW instead multiplies every weight by (1 − lr·λ) after each step (decoupled).",
        "PyTorch 的 weight_decay = λ。用 SGD 时,它在每个梯度上加上 λ·w(即 L2 惩罚 (λ/2)·Σw² 的梯度),每一步都把每个权重往零拉;Adam 等自适应优化器会按权重分别缩放这个拉力;AdamW 则在每一步之后把每个权重乘以 (1 − 学习率·λ)(解耦)。",
    ),
    "train.hp.l1": ("L1 penalty", "L1 惩罚"),
    "train.hp.l1_help": (
        "Adds l1 x sum|w| to the loss: drives many weights to (almost) exactly zero.",
        "在损失上加上 l1 x sum|w|:会把很多权重推到(几乎)正好为零。",
    ),
    "train.hp.label_smoothing": ("Label smoothing", "标签平滑"),
    "train.hp.label_smoothing_help": (
        "Targets become 1 − ε + ε/K for the right class and ε/K for each of the other classes (PyTorch's rule; with ε = 0.1 and K = 10 classes: 0.91 and 0.01): less over-confident predictions.",
        "目标变为:正确类别 1 − ε + ε/K,其他每个类别 ε/K(PyTorch 的做法;ε = 0.1、K = 10 个类别时为 0.91 和 0.01):预测不会过度自信。",
    ),
    "train.hp.init": ("Weight initialisation", "权重初始化"),
    "train.hp.init_help": (
        "How the weights start. All zeros is the extreme case where nothing can learn: in a ReLU network every hidden output is 0, so no gradient reaches any weight; they all stay exactly 0 and only the last layer's biases learn the class frequencies (chance accuracy).",
        "权重的初始值。全零是什么都学不到的极端情况:在 ReLU 网络中每个隐藏层的输出都是 0,没有梯度能传到任何权重;它们始终严格为 0,只有最后一层的偏置学到各类别的频率(准确率停在随机猜测的水平)。",
    ),
    "train.hp.sigma": ("Standard deviation", "标准差"),
    "train.hp.clip": ("Gradient clipping", "梯度裁剪"),
    "train.hp.clip_help": (
        "If the gradient's norm is above the limit, scale it down to the limit: tames exploding steps.",
        "如果梯度的范数超过上限,就把它缩小到上限:抑制过大的步长。",
    ),
    "train.hp.clip_value": ("Maximum gradient norm", "梯度范数上限"),
    "train.hp.early": ("Early stopping", "早停"),
    "train.hp.early_help": (
        "Stop when the validation loss has not improved for a few epochs, and go back to the best weights.",
        "当验证损失连续几轮没有改善时停止,并恢复到最好的权重。",
    ),
    "train.hp.patience": ("Patience (epochs)", "耐心(轮数)"),
    "train.hp.seed": ("Random seed", "随机种子"),
    "train.hp.seed_help": (
        "Same seed, same run: the same curves every time (on the CPU).",
        "相同的种子,相同的训练:每次得到相同的曲线(在 CPU 上)。",
    ),
    "train.hp.device": ("Device", "设备"),
    "train.hp.device_help": (
        "Auto picks a CUDA GPU, then Apple MPS, then the CPU.",
        "“自动”依次选择 CUDA GPU、Apple MPS、CPU。",
    ),
    "train.hp.amp": ("Mixed precision (AMP)", "混合精度(AMP)"),
    "train.hp.amp_help": (
        "Computes in 16-bit floats on the GPU: faster, with the same accuracy in most cases.",
        "在 GPU 上用 16 位浮点数计算:更快,多数情况下准确率不变。",
    ),
    "train.hp.amp_no_cuda": (
        "Mixed precision needs a CUDA GPU; none was found.",
        "混合精度需要 CUDA GPU;未检测到。",
    ),
    "train.hp.keep": ("Keep the weights", "保留权重"),
    "train.hp.keep_help": (
        "Store the trained weights in this session's run history: the Overfitting lab can then compare weight histograms and build ensembles.",
        "把训练好的权重保存在本次会话的运行记录中:过拟合实验室就可以比较权重直方图、组合集成模型。",
    ),
    "train.hp.code": (
        "In PyTorch: {code}; schedule: {schedule}",
        "PyTorch 写法:{code};学习率调度:{schedule}",
    ),
    # ---- choices
    "train.optimizer.sgd": ("SGD", "SGD(随机梯度下降)"),
    "train.optimizer.momentum": ("SGD with momentum", "带动量的 SGD"),
    "train.optimizer.nesterov": ("SGD with Nesterov momentum", "带 Nesterov 动量的 SGD"),
    "train.optimizer.adagrad": ("Adagrad", "Adagrad 自适应梯度"),
    "train.optimizer.rmsprop": ("RMSprop", "RMSprop 均方根传播"),
    "train.optimizer.adam": ("Adam", "Adam 自适应矩估计"),
    "train.optimizer.adamw": ("AdamW (decoupled weight decay)", "AdamW(解耦权重衰减)"),
    "train.optimizer.adamax": ("Adamax", "Adamax(Adam 的无穷范数变体)"),
    "train.optimizer.nadam": ("NAdam (Adam + Nesterov)", "NAdam(Adam + Nesterov)"),
    "train.schedule.fixed": ("fixed", "固定"),
    "train.schedule.step": (
        "step: x0.1 after each third of the run",
        "阶梯:每训练三分之一乘以 0.1",
    ),
    "train.schedule.multistep": (
        "multistep: x0.1 at 50% and 75%",
        "多阶梯:在 50% 和 75% 处乘以 0.1",
    ),
    "train.schedule.poly": ("polynomial decay to 0", "多项式衰减到 0"),
    "train.schedule.exponential": ("exponential decay to 1%", "指数衰减到 1%"),
    "train.schedule.cosine": ("cosine annealing", "余弦退火"),
    "train.schedule.onecycle": ("one-cycle (warm up, then anneal)", "单周期(先预热,再退火)"),
    "train.init.default": ("PyTorch default", "PyTorch 默认"),
    "train.init.kaiming": ("He / Kaiming (for ReLU)", "He / Kaiming(适合 ReLU)"),
    "train.init.xavier": ("Xavier / Glorot", "Xavier / Glorot 初始化"),
    "train.init.normal": ("Normal with a chosen sigma", "指定标准差的正态分布"),
    "train.init.zeros": (
        "All zeros (nothing can learn: the extreme case)",
        "全零(什么都学不到:极端情况)",
    ),
    "train.device.auto": ("auto", "自动"),
    "train.device.cuda": ("CUDA GPU", "CUDA 显卡(GPU)"),
    "train.device.mps": ("Apple MPS", "Apple MPS(苹果芯片)"),
    "train.device.cpu": ("CPU", "CPU"),
    # ---- controls and status
    "train.live.title": ("3. Train and watch", "3. 训练并观察"),
    "train.live.empty": (
        "Press Start: the curves and feature maps appear here and update every second.",
        "按“开始”:曲线和特征图会显示在这里,每秒更新一次。",
    ),
    "train.start": ("Start", "开始"),
    "train.pause": ("Pause", "暂停"),
    "train.resume": ("Resume", "继续"),
    "train.stop": ("Stop", "停止"),
    "train.status.new": ("ready", "就绪"),
    "train.status.queued": ("waiting", "排队中"),
    "train.status.running": ("training", "训练中"),
    "train.status.pausing": ("pausing after this batch", "本批次结束后暂停"),
    "train.status.paused": ("paused", "已暂停"),
    "train.status.stopping": ("stopping", "正在停止"),
    "train.status.finished": ("finished", "已结束"),
    "train.status.failed": ("failed", "失败"),
    "train.queued": (
        "All training slots of this server are busy: you are number {position} in the queue. Training starts by itself.",
        "这台服务器的训练名额都在使用中:你排在第 {position} 位。轮到你时会自动开始训练。",
    ),
    "train.paused_note": (
        "Paused. The network keeps its weights; press Resume to continue exactly where it stopped.",
        "已暂停。网络保留当前权重;按“继续”会从停下的地方接着训练。",
    ),
    "train.progress": (
        "{status}: epoch {epoch}/{epochs}, step {step}/{total} {eta}",
        "{status}:第 {epoch}/{epochs} 轮,第 {step}/{total} 步 {eta}",
    ),
    "train.eta_seconds": ("(about {seconds} s left)", "(约剩 {seconds} 秒)"),
    "train.eta_minutes": ("(about {minutes} min left)", "(约剩 {minutes} 分钟)"),
    "train.device_in_use": ("Training on: {device}", "训练设备:{device}"),
    "train.finished.completed": (
        "Training finished in {seconds} s. Lowest validation loss at epoch {best}.",
        "训练完成,用时 {seconds} 秒。验证损失最低出现在第 {best} 轮。",
    ),
    "train.finished.early_stopping": (
        "Stopped early after {seconds} s: the validation loss stopped improving. The weights of the best epoch ({best}) were restored.",
        "用时 {seconds} 秒后早停:验证损失不再改善。已恢复到最好一轮(第 {best} 轮)的权重。",
    ),
    "train.finished.stopped": (
        "Stopped after {seconds} s. The network keeps what it learned so far.",
        "已在 {seconds} 秒后停止。网络保留了到目前为止学到的内容。",
    ),
    "train.finished.time_limit": (
        "Stopped at the time limit of this shared server ({seconds} s). Use fewer epochs or a smaller network.",
        "已到达这台共享服务器的时间上限({seconds} 秒)而停止。请减少训练轮数或使用更小的网络。",
    ),
    "train.finished.abandoned": (
        "This run was stopped after {seconds} s because its browser tab was closed.",
        "由于浏览器标签页被关闭,这次训练在 {seconds} 秒后停止了。",
    ),
    "train.metric.epoch": ("Epoch", "轮次"),
    "train.metric.loss": ("Loss (smoothed)", "损失(平滑)"),
    "train.metric.val_acc": ("Validation accuracy", "验证准确率"),
    "train.metric.speed": ("Images / second", "图像/秒"),
    "train.metric.epoch_time": ("Time per epoch", "每轮用时"),
    "train.maps.title": ("Inside the network", "网络内部"),
    "train.maps.caption": (
        "One validation image through every conv and pooling layer (first 16 channels), and the first layer's filters, at step {step} (epoch {epoch}). Every map uses one diverging colour scale centred on 0: blue negative, white zero, red positive (after ReLU and pooling a map is white to red).",
        "一张验证图像经过每个卷积层和池化层后的输出(前 16 个通道),以及第一层的卷积核,当前为第 {step} 步(第 {epoch} 轮)。所有特征图使用同一个以 0 为中心的发散色标:蓝色为负,白色为零,红色为正(经过 ReLU 和池化后的特征图只有白色到红色)。",
    ),
    "train.grads.caption": (
        "If the layers near the input have gradients many times smaller than the last layers, they barely learn: vanishing gradients.",
        "如果靠近输入的层的梯度比最后几层小很多倍,它们几乎学不到东西:这就是梯度消失。",
    ),
    "train.run_name": (
        "Run {number}: {net}, {optimizer} lr {lr}",
        "第 {number} 次训练:{net},{optimizer} 学习率 {lr}",
    ),
    # ---- after training
    "train.after.title": ("4. What did it learn?", "4. 它学到了什么?"),
    "train.after.best_val": ("Best validation accuracy", "最佳验证准确率"),
    "train.after.best_val_help": (
        "The highest validation accuracy of any epoch (epoch {epoch}).",
        "所有轮次中最高的验证准确率(第 {epoch} 轮)。",
    ),
    "train.after.test_acc": ("Test accuracy (measured once)", "测试准确率(只测一次)"),
    "train.after.test_acc_help": (
        "The final network on the {images} images of the official test split.",
        "最终的网络在官方测试集 {images} 张图像上的准确率。",
    ),
    "train.after.ten_crop": ("With ten-crop evaluation", "十裁剪评估后"),
    "train.after.ten_crop_val": ("Validation, ten crops", "验证集,十裁剪"),
    "train.after.one_crop_val": ("Validation, one view", "验证集,单视图"),
    "train.after.ten_crop_help": (
        "Each image classified from ten crops (corners, centre, mirrored), softmax averaged; "
        "the arrow is the gain over one view.",
        "每张图像用十个裁剪块(四角、中心及其镜像)分类,softmax 取平均;箭头表示相比单视图的提升。",
    ),
    "train.after.gain": ("{gain} points", "{gain} 个百分点"),
    "train.after.test_once": (
        "Why the test set is touched only once: the validation set chose the epoch, the settings "
        "and when to stop, so its accuracy is a little optimistic. The official test images took "
        "part in none of those choices; measured once, at the very end, they give an honest "
        "estimate for new images. Checking them after every change would turn them into a "
        "second validation set.",
        "为什么测试集只用一次:验证集参与了挑选轮次、超参数和何时停止,所以验证准确率略微偏乐观。"
        "官方测试图像没有参与任何这些选择;只在最后测一次,才能诚实地估计网络在新图像上的准确率。"
        "如果每改一次设置就看一次测试集,它就变成了第二个验证集。",
    ),
    "train.after.split_used": (
        "This run trained on {train} and validated on {val} of the {split} images of the "
        "official training split, then measured the {test} test images once.",
        "这次训练用官方训练集 {split} 张图像中的 {train} 张训练、{val} 张验证,最后把 {test} 张测试图像测了一次。",
    ),
    "train.after.not_tested": (
        "The run did not finish normally (stopped or diverged), so the test set was not measured.",
        "这次训练没有正常结束(被停止或发散),因此没有测量测试集。",
    ),
    "train.after.confusion_caption": (
        "Each row is a true class, each column the predicted class: everything off the diagonal is a mistake.",
        "每一行是真实类别,每一列是预测类别:对角线以外的都是错误。",
    ),
    "train.gallery.title": ("Misclassified validation images", "被分错的验证图像"),
    "train.gallery.none": ("No validation image is misclassified.", "没有被分错的验证图像。"),
    "train.gallery.true": ("true: {label}", "真实:{label}"),
    "train.checkpoint.download": ("Download the trained network", "下载训练好的网络"),
    "train.checkpoint.download_help": (
        "A zip with the network (JSON) and its weights (safetensors). Load it here later.",
        "一个 zip 文件,包含网络结构(JSON)和权重(safetensors)。以后可以在这里加载。",
    ),
    "train.checkpoint.upload": (
        "Load a trained network (checkpoint zip)",
        "加载训练好的网络(检查点 zip)",
    ),
    "train.checkpoint.upload_help": (
        "A file downloaded from this page. It is checked before use and never runs code.",
        "从本页面下载的文件。使用前会被检查,绝不会执行其中的代码。",
    ),
    "train.checkpoint.loaded": ("Loaded: {name}. Try it below.", "已加载:{name}。在下面试试看。"),
    # ---- try it yourself
    "train.try.title": ("Try it yourself", "自己试一试"),
    "train.try.need_model": (
        "Train a network (or load one) to try it on your own drawing or picture.",
        "先训练(或加载)一个网络,再用你自己的画或图片试试它。",
    ),
    "train.try.which": ("Network", "网络"),
    "train.try.source.job": ("the network you just trained", "刚训练好的网络"),
    "train.try.source.loaded": ("the loaded network", "加载的网络"),
    "train.try.draw": ("Draw", "画一画"),
    "train.try.upload": ("Upload a picture", "上传图片"),
    "train.try.draw_help": (
        "Draw with the mouse in the black square (for example a digit, or a shape for the built-in data).",
        "用鼠标在黑色方框里画(例如一个数字,或内置数据集中的一种图形)。",
    ),
    "train.try.canvas_unavailable": (
        "The drawing canvas needs a browser; upload a picture instead.",
        "画板需要在浏览器中使用;请改为上传图片。",
    ),
    "train.try.upload_label": ("Picture (PNG, JPEG, BMP, GIF)", "图片(PNG、JPEG、BMP、GIF)"),
    "train.try.as_seen": ("What the network sees ({shape})", "网络看到的输入({shape})"),
    "train.try.prediction": ("Prediction", "预测"),
    "train.try.confidence": ("with probability {percent}%", "概率为 {percent}%"),
    "train.try.layers": ("Every layer's output for this image", "这张图像在每一层的输出"),
}
