"""Strings of the "Build a CNN" page, the network diagram, presets, and the problems that shape
inference and the JSON schema report."""

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- the home page (pages/home.py) ----
    "home.intro": (
        "cnnviz shows what happens inside a convolutional neural network (CNN), the kind of "
        "network that recognises images. You build a network layer by layer and see every "
        "shape and parameter count with the formula behind it; you step through convolution "
        "and pooling one multiplication at a time; then you train your own network live and "
        "learn to spot and cure overfitting. Everything runs here: no code, nothing to install.",
        "cnnviz 展示卷积神经网络(CNN,一种用来识别图像的网络)内部发生了什么。你会一层层搭建网络,"
        "看到每一层的形状和参数量以及背后的公式;逐个乘法地演示卷积和池化;"
        "然后实时训练你自己的网络,学会识别并解决过拟合。一切都在这里运行:不用写代码,也不用安装任何东西。",
    ),
    "home.order_title": ("Recommended order for a newcomer", "给初学者的推荐顺序"),
    "home.pages_title": ("What each page teaches", "每个页面教什么"),
    "home.card.build": (
        "Start from LeNet-5, AlexNet, TinyVGG or an empty network. Add, move and edit layers; "
        "after every change see each output shape, parameter count and multiply-add count "
        "with its formula filled in, a diagram of the feature maps shrinking and deepening, and "
        "errors on the layer that causes them. Export PyTorch code, JSON or a share link.",
        "从 LeNet-5、AlexNet、TinyVGG 或空网络开始。添加、移动和修改网络层;每次修改后都能看到"
        "每层的输出形状、参数量和乘加次数及其代入数字的公式,看到特征图逐层变小变深的示意图,"
        "错误会显示在出错的那一层上。可导出 PyTorch 代码、JSON 文件或分享链接。",
    ),
    "home.card.conv": (
        "Slide a kernel over an input one position at a time: the window, the products, the "
        "written-out sum and the output value. Try padding, stride, dilation, several channels "
        "and filters, and transposed convolution.",
        "让卷积核在输入上一格一格地滑动:窗口、逐项乘积、写出来的求和式以及输出值。"
        "可以尝试填充、步幅、膨胀、多通道多卷积核,以及转置卷积。",
    ),
    "home.card.pool": (
        "Max and average pooling step by step, overlapping windows such as AlexNet's 3×3 "
        "stride 2, global average pooling, and which input receives the gradient.",
        "逐步演示最大池化和平均池化、AlexNet 那样 3×3 步幅 2 的重叠窗口、全局平均池化,"
        "以及梯度传回到哪个输入。",
    ),
    "home.card.walkthrough": (
        "A complete small CNN computed by hand, from the input matrix to the output scores, "
        "with every intermediate result checked against PyTorch.",
        "手算一个完整的小型 CNN,从输入矩阵一直到输出分数,每一个中间结果都与 PyTorch 核对过。",
    ),
    "home.card.practice": (
        "Exercises with instant feedback: predict output sizes, choose padding and stride to "
        "reach a target size, count parameters.",
        "带即时反馈的练习:预测输出尺寸、选择填充和步幅以得到目标尺寸、计算参数量。",
    ),
    "home.card.train": (
        "Train your network on built-in shapes, handwritten digits, clothes, CIFAR-10 or your "
        "own images. Loss and accuracy curves, feature maps and filters update while it "
        "learns; then a confusion matrix and the mistakes it makes.",
        "在内置的图形数据、手写数字、服装图片、CIFAR-10 或你自己的图片上训练网络。"
        "训练过程中损失和准确率曲线、特征图和卷积核实时更新;训练后还有混淆矩阵和错误样本。",
    ),
    "home.card.lab": (
        "One-click experiments that overfit or underfit on purpose, an automatic diagnosis "
        "with remedies, and side-by-side comparison of runs.",
        "一键运行故意过拟合或欠拟合的实验,自动诊断并给出补救办法,还能并排比较多次训练。",
    ),
    "home.open": ("Open {page}", "打开“{page}”"),
    "home.device_title": ("Where the computing happens", "计算在哪里进行"),
    "home.device": (
        "Training uses **{device}**. With an NVIDIA GPU (CUDA) or an Apple M-series chip (MPS) "
        "the app uses it automatically; on a CPU the default network still trains in seconds. "
        "The Train page lets you pick the device.",
        "训练使用 **{device}**。如果有 NVIDIA GPU(CUDA)或 Apple M 系列芯片(MPS),应用会自动使用;"
        "只用 CPU 时,默认网络也能在几秒钟内训练完。可以在“实时训练”页面选择设备。",
    ),
    "home.classroom_title": ("Tips for the classroom", "课堂使用提示"),
    "home.classroom": (
        "- Zoom the browser (Ctrl and +) so the back row can read the numbers.\n"
        "- Share a page in the other language with [this link]({other_link}); add `?lang=zh` "
        "or `?lang=en` to any page address.\n"
        "- The Build page's share link restores the same network on another computer.\n"
        "- Each student's network and training runs stay in their own browser session.",
        "- 放大浏览器(Ctrl 和 +),让后排也能看清数字。\n"
        "- 用[这个链接]({other_link})以另一种语言打开页面;在任何页面地址后加上 `?lang=zh` 或 "
        "`?lang=en` 即可切换语言。\n"
        "- “搭建 CNN”页面的分享链接可以在另一台电脑上恢复同样的网络。\n"
        "- 每个学生的网络和训练记录只保存在他自己的浏览器会话中。",
    ),
    # ---- the Build page ----
    "build.title": ("Build a CNN", "搭建卷积神经网络"),
    "build.intro": (
        "Stack layers and watch what each one does to the data: its output shape, its "
        "parameters and the formula behind both, with your numbers filled in. The network you "
        "build here is the one the Train page trains.",
        "一层层搭建网络,看每一层如何改变数据:输出形状、参数量,以及代入你的数字后的计算公式。"
        "在这里搭建的网络就是“实时训练”页面要训练的网络。",
    ),
    "build.start": ("Start from", "从这里开始"),
    "build.preset": ("Famous network", "经典网络"),
    # ---- the Build page's U-Net view (pages/build/unet_view.py, cnnviz/viz/unet.py) ----
    "build.preset_unet": ("U-Net (segmentation)", "U-Net(语义分割)"),
    "build.unet.intro": (
        "A U-Net gives a class to every pixel (semantic segmentation). Its encoder halves the map "
        "at each max-pool, its decoder doubles it back with transposed convolutions (up-sampling), "
        "and the skip connections concatenate each encoder map with the decoder map of the same "
        "size, carrying the fine detail across. It is not a chain of layers, so it has its own "
        "view here.",
        "U-Net 为每个像素给出一个类别(语义分割)。编码器的每个最大池化把特征图减半,解码器用转置卷积"
        "(上采样)把它加倍回来,跳跃连接把每个编码器特征图与解码器中同样大小的特征图拼接起来,"
        "把细节传过去。它不是一串顺序的层,所以这里单独展示。",
    ),
    "build.unet.caption": (
        "A U-Net gives a class to every pixel (semantic segmentation). It trains on “Beyond "
        "classification”; the Train page keeps training your CNN.",
        "U-Net 为每个像素给出一个类别(语义分割)。它在“超越分类”页训练;“实时训练”页仍训练你的 CNN。",
    ),
    "build.unet.size": ("Input size (px)", "输入尺寸(像素)"),
    "build.unet.size_help": (
        "The side of the square input image. Each max-pool floors an odd size, so the maps only "
        "match at every concatenation when it divides by 2^depth.",
        "正方形输入图像的边长。每个最大池化会把奇数尺寸向下取整,所以只有当它能被 2^深度 整除时,"
        "每个拼接处的特征图大小才一致。",
    ),
    "build.unet.channels": ("Input channels", "输入通道数"),
    "build.unet.classes": ("Classes", "类别数"),
    "build.unet.classes_help": (
        "Classes per pixel, background included (the shapes masks have {count}).",
        "每个像素的类别数,包括背景(形状掩码有 {count} 类)。",
    ),
    "build.unet.depth": ("Depth (pooling levels)", "深度(池化层数)"),
    "build.unet.base": ("Base channels", "基础通道数"),
    "build.unet.base_help": (
        "Channels of the top level; each level down doubles them.",
        "最上层的通道数;每往下一层翻一倍。",
    ),
    "build.unet.skips": ("Skip connections", "跳跃连接"),
    "build.unet.bn": ("Batch norm", "批归一化"),
    "build.unet.valid": (
        "Valid U-Net: every concatenation joins maps of the same size; {params} parameters.",
        "U-Net 有效:每个拼接处的特征图大小一致;参数量 {params}。",
    ),
    "build.unet.propose": ("Use {size}×{size}", "改用 {size}×{size}"),
    "build.unet.last_valid": (
        "The totals and the table below are for the last valid U-Net: input {size}×{size}, "
        "depth {depth}.",
        "下面的总计和表格对应上一个有效的 U-Net:输入 {size}×{size},深度 {depth}。",
    ),
    "build.unet.no_valid_yet": (
        "The totals and the table appear once the sizes fit.",
        "尺寸匹配之后才会显示总计和表格。",
    ),
    "build.unet.bad_setting": (
        "This setting was refused; the U-Net keeps its last settings.",
        "这个设置无效,U-Net 保留上一次的设置。",
    ),
    "build.unet.metric_params": ("Parameters", "参数量"),
    "build.unet.metric_output": ("Output (classes × H × W)", "输出(类别 × 高 × 宽)"),
    "build.unet.metric_stride": ("Depth / total stride", "深度 / 总步幅"),
    "build.unet.metric_stride_help": (
        "{depth} max-pools of stride 2 make the bottom map 2^{depth} = {stride} times smaller.",
        "{depth} 个步幅为 2 的最大池化让最底层特征图缩小 2^{depth} = {stride} 倍。",
    ),
    "build.unet.table": ("Every layer: shapes and parameters", "每一层:形状和参数量"),
    "build.unet.col_name": ("Layer", "层"),
    "build.unet.col_kind": ("Type", "类型"),
    "build.unet.col_input": ("Input C×H×W", "输入 C×H×W"),
    "build.unet.col_output": ("Output C×H×W", "输出 C×H×W"),
    "build.unet.col_params": ("Parameters", "参数量"),
    "build.unet.col_formula": ("Output size (H)", "输出尺寸(H)"),
    "build.unet.joins": ("up {up} + {skip_from} {skip}", "上采样 {up} + {skip_from} {skip}"),
    "build.unet.kind.residual": ("Residual block", "残差块"),
    "build.unet.kind.maxpool": ("Max pooling 2×2, stride 2", "2×2 最大池化,步幅 2"),
    "build.unet.kind.convtranspose": (
        "Transposed convolution 2×2, stride 2 (up-sampling)",
        "2×2 转置卷积,步幅 2(上采样)",
    ),
    "build.unet.kind.concat": ("Concatenation (skip connection)", "拼接(跳跃连接)"),
    "build.unet.kind.conv1x1": ("1×1 convolution (class scores)", "1×1 卷积(类别得分)"),
    "build.unet.block_input": ("input", "输入"),
    "build.unet.block_head": ("head", "输出层"),
    "build.unet.role_input": ("input image", "输入图像"),
    "build.unet.role_encoder": ("encoder block", "编码器块"),
    "build.unet.role_bottom": ("bottom block", "最底层块"),
    "build.unet.role_decoder": ("decoder block", "解码器块"),
    "build.unet.role_head": (
        "1×1 convolution: a score per class and pixel",
        "1×1 卷积:每个像素每个类别一个得分",
    ),
    "build.unet.concat": ("concat", "拼接"),
    "build.unet.steppers": ("Open a layer in the stepper", "在演示器中打开一层"),
    "build.unet.steppers_help": (
        "The seeded U-Net sees a shapes image; the stepper opens with the feature map that "
        "reaches this layer and its weights.",
        "用固定随机种子初始化的 U-Net 处理一张形状图像;演示器打开时显示到达这一层的特征图和这一层的权重。",
    ),
    "build.unet.stepper_label": ("U-Net layer {name} · {torch}", "U-Net 的 {name} 层 · {torch}"),
    "build.unet.fix_first": (
        "Fix the input size first: the layers only have shapes when every concatenation fits.",
        "请先修正输入尺寸:只有每个拼接都匹配时,各层才有确定的形状。",
    ),
    "build.unet.train": (
        "Train this U-Net on “Beyond classification”",
        "在“超越分类”页训练这个 U-Net",
    ),
    "build.unet.train_help": (
        "Opens “Beyond classification” with this input size, depth and skip setting.",
        "打开“超越分类”页,并使用这里的输入尺寸、深度和跳跃连接设置。",
    ),
    "build.unet.train_limits": (
        "“Beyond classification” trains U-Nets from {low}×{low} to {size}×{size} px and up to depth "
        "{depth} (a classroom server trains many at once): change the size or the depth.",
        "“超越分类”页训练的 U-Net 尺寸为 {low}×{low} 到 {size}×{size} 像素、深度最多 {depth}"
        "(课堂服务器要同时训练很多个):请修改尺寸或深度。",
    ),
    "build.unet.train_fixed": (
        "There it trains on the shapes masks with its own channels and classes ({channels} input "
        "channel, {classes} classes), {base} base channels and batch norm.",
        "那里用形状掩码训练,通道和类别按它自己的设置({channels} 个输入通道、{classes} 个类别),"
        "基础通道数 {base},使用批归一化。",
    ),
    "build.unet.not_trained_here": (
        "The Train page still trains your last CNN: a U-Net is not a classifier.",
        "“实时训练”页仍训练你上一个 CNN:U-Net 不是分类器。",
    ),
    "beyond.to_build": (
        "See this network's shapes on the Build page",
        "在“搭建 CNN”页查看这个网络的各层形状",
    ),
    "build.source": ("Source: {source}", "出处:{source}"),
    "build.load_preset": ("Load this network", "载入这个网络"),
    "build.scratch": ("Start from scratch", "从零开始"),
    "build.input": ("Input image (height × width × channels)", "输入图像(高 × 宽 × 通道)"),
    "build.input_help": (
        "28×28×1: grey digits (MNIST); 32×32×1: LeNet-5's padded digits; 32×32×3: small colour "
        "photos (CIFAR-10); 64×64×3: CNN Explainer's TinyVGG; 227×227×3: AlexNet.",
        "28×28×1:灰度手写数字(MNIST);32×32×1:LeNet-5 的补边数字图像;32×32×3:小尺寸彩色照片(CIFAR-10);"
        "64×64×3:CNN Explainer 的 TinyVGG;227×227×3:AlexNet。",
    ),
    "build.input_custom": ("custom…", "自定义…"),
    "build.input_c": ("channels C", "通道数 C"),
    "build.input_h": ("height H", "高 H"),
    "build.input_w": ("width W", "宽 W"),
    "build.valid": (
        "The network is valid ({params} parameters). The Train page will train it.",
        "网络有效(共 {params} 个参数)。“实时训练”页面将训练这个网络。",
    ),
    "build.errors_on_layers": (
        "Problems on layer(s) {layers}: open the marked layers below to see what to change.",
        "第 {layers} 层有问题:展开下面标记的层,查看需要修改的地方。",
    ),
    "build.train_uses_last_valid": (
        "The Train page still uses your last valid network until these problems are fixed.",
        "在这些问题修正之前,“实时训练”页面仍使用你上一个有效的网络。",
    ),
    "build.metric_params": ("Parameters", "参数量"),
    "build.metric_params_help": (
        "Weights and biases the network learns (BatchNorm's running statistics are not counted).",
        "网络要学习的权重和偏置(不包括 BatchNorm 的滑动平均统计量)。",
    ),
    "build.metric_mult_adds": ("Multiply-adds per image", "每张图像的乘加次数"),
    "build.metric_mult_adds_help": (
        "Multiplications (each followed by an addition) of the convolution and Linear layers "
        "for one image: a measure of the computing cost.",
        "处理一张图像时卷积层和全连接层所做的乘法(每次乘法后接一次加法)次数,用来衡量计算量。",
    ),
    "build.metric_memory": ("Activation memory per image", "每张图像的激活内存"),
    "build.metric_memory_help": (
        "Bytes of all layer outputs for one image in float32 (4 bytes per value); training "
        "keeps them for the backward pass, times the batch size.",
        "一张图像在所有层输出上占用的字节数(float32,每个值 4 字节);训练时反向传播要保留它们,"
        "还要再乘以批大小。",
    ),
    "build.metric_rf": ("Receptive field", "感受野"),
    "build.metric_rf_help": (
        "How many input pixels (rows × columns) one value of the last feature map before "
        "Flatten can see.",
        "Flatten 之前最后一张特征图上的一个值能“看到”的输入像素范围(行 × 列)。",
    ),
    "build.every_layer": ("Draw every layer as its own block", "每一层单独画一个方块"),
    "build.every_layer_help": (
        "Off: activations, normalisation and dropout (which keep the shape) are drawn with the "
        "layer before them.",
        "关闭时:不改变形状的激活、归一化和 Dropout 层与前一层画在一起。",
    ),
    "build.layers": ("Layers", "网络层"),
    "build.table": ("Shapes, parameters and formulas", "形状、参数与公式"),
    "build.params_chart": ("Parameters per layer (chart)", "每层参数量(图表)"),
    "build.formulas": ("Formulas with your numbers:", "代入你的数字的公式:"),
    "build.col_number": ("#", "序号"),
    "build.col_layer": ("layer", "层"),
    "build.col_shape": ("output shape", "输出形状"),
    "build.col_params": ("parameters", "参数量"),
    "build.col_mult_adds": ("mult-adds", "乘加次数"),
    "build.col_formula": ("formula", "公式"),
    "build.col_shape_formula": ("output size", "输出尺寸公式"),
    "build.col_param_formula": ("parameter count", "参数量公式"),
    "build.general_formula": (
        "General form, with dilation",
        "一般形式(含膨胀率)",
    ),
    "build.general_formula_help": (
        "floor((n + 2p - d*(k-1) - 1) / s) + 1: a kernel k with dilation d spans d*(k-1) + 1"
        " pixels. With d = 1 it is the familiar floor((n + 2p - k) / s) + 1.",
        "floor((n + 2p - d*(k-1) - 1) / s) + 1:大小为 k、膨胀率为 d 的卷积核跨越 d*(k-1) + 1"
        " 个像素。d = 1 时就是熟悉的 floor((n + 2p - k) / s) + 1。",
    ),
    "build.metric_exact": ("Exactly {exact}.", "精确值:{exact}。"),
    "build.move_up": ("Move this layer up", "上移这一层"),
    "build.move_down": ("Move this layer down", "下移这一层"),
    "build.insert_above": ("Insert a new layer above: {kind}", "在上方插入新层:{kind}"),
    "build.duplicate": ("Duplicate this layer", "复制这一层"),
    "build.remove": ("Remove this layer", "删除这一层"),
    "build.open_stepper": ("Open in stepper", "逐步演示"),
    "build.open_stepper_help": (
        "Step through this layer number by number, on the feature map a sample image produces here.",
        "用一张示例图像在这一层得到的特征图,逐个数字地演示这一层的计算。",
    ),
    "build.fix_first": (
        "Fix the problems of the network first.",
        "请先修正网络中的问题。",
    ),
    "build.stepper_label": ("Layer {number} {label}", "第 {number} 层 {label}"),
    "build.new_kind": ("New layer type", "新层的类型"),
    "build.add_layer": ("Add layer", "添加层"),
    "build.no_settings.flatten": (
        "No settings: turns (C, H, W) into one vector of C·H·W numbers.",
        "没有可设置的项:把 (C, H, W) 展平成一个长度为 C·H·W 的向量。",
    ),
    "build.no_settings.global_avg_pool": (
        "No settings: the mean of each whole channel, giving (C, 1, 1).",
        "没有可设置的项:对每个通道整体求平均,得到 (C, 1, 1)。",
    ),
    "build.field.out_channels": ("filters", "卷积核个数"),
    "build.field.groups": ("groups", "分组数"),
    "build.field.kernel_size": ("kernel size", "卷积核大小"),
    "build.field.stride": ("stride", "步幅"),
    "build.field.padding": ("padding", "填充"),
    "build.field.padding_mode": ("padding type", "填充方式"),
    "build.padding_number": ("a number of pixels", "指定像素数"),
    "build.field.dilation": ("dilation", "膨胀率"),
    "build.field.bias": ("bias", "偏置"),
    "build.field.rectangular": ("different height and width", "高和宽分别设置"),
    "build.field.eps": ("epsilon", "epsilon"),
    "build.field.momentum": ("momentum", "动量"),
    "build.field.size": ("channels averaged", "参与归一化的通道数"),
    "build.field.alpha": (
        "alpha (PyTorch divides it by the size)",
        "alpha(PyTorch 会把它除以参与归一化的通道数)",
    ),
    "build.field.beta": ("beta", "beta"),
    "build.field.k": ("k", "k"),
    "build.field.function": ("function", "函数"),
    "build.field.negative_slope": ("negative slope", "负半轴斜率"),
    "build.field.p": ("drop probability", "丢弃概率"),
    "build.field.out_features": ("output units", "输出单元数"),
    "build.field.activation": ("activation", "激活函数"),
    "build.field.bottleneck": ("bottleneck (1×1, 3×3, 1×1)", "瓶颈结构(1×1、3×3、1×1)"),
    "build.field.batch_norm": ("batch normalisation", "批归一化"),
    "build.export": ("Export and share", "导出与分享"),
    "build.export_last_valid": (
        "Exports show your last valid network (the current edit has problems).",
        "导出的是你上一个有效的网络(当前的修改有问题)。",
    ),
    "build.tab_code": ("PyTorch code", "PyTorch 代码"),
    "build.tab_json": ("JSON file", "JSON 文件"),
    "build.tab_share": ("Share link", "分享链接"),
    "build.download_code": ("Download .py", "下载 .py"),
    "build.download_json": ("Download .json", "下载 .json"),
    "build.upload": ("Load a network from a .json file", "从 .json 文件载入网络"),
    "build.upload_help": (
        "A file downloaded from this page (at most 256 KB, 300 layers).",
        "从本页面下载的文件(最大 256 KB,最多 300 层)。",
    ),
    "build.upload_ok": ("Network loaded from the file.", "已从文件载入网络。"),
    "build.upload_bad": (
        "This file was not loaded; your network is unchanged. What is wrong:",
        "没有载入这个文件,你的网络保持不变。问题如下:",
    ),
    "build.share_help": (
        "Copy this link (button at the right): it opens this page with the same network.",
        "复制这个链接(右侧的按钮):打开它会在本页面显示同样的网络。",
    ),
    "build.link_restored": (
        "Network restored from the shared link.",
        "已从分享链接恢复网络。",
    ),
    "build.link_bad": (
        "The network in this link could not be restored; the default network is shown instead.",
        "无法从这个链接恢复网络;下面显示的是默认网络。",
    ),
    # ---- problems found by cnnviz.net.shapes (whole-network checks) ----
    "problem.kernel_too_big": (
        "the window spans {kernel} pixels along {axis}, but the input there is only {size} "
        "({padded} with padding), so the output would be empty. Use a smaller kernel or more "
        "padding, or remove a layer before this one that shrinks the map.",
        "窗口在 {axis} 方向跨 {kernel} 个像素,但该方向的输入只有 {size}(加上填充为 {padded}),"
        "输出会是空的。请减小卷积核、增加填充,或删掉前面某个使特征图变小的层。",
    ),
    "problem.floor_truncation": (
        "the windows do not tile the input exactly: the last {rows} row(s) and {cols} column(s) "
        "of real pixels (not padding) are never covered and are dropped (PyTorch rounds the "
        "output size down). Fine if intended; adjust padding or stride to use every pixel.",
        "窗口不能恰好铺满输入:输入最后 {rows} 行和 {cols} 列的真实像素(不含填充)没有被任何窗口覆盖,"
        "会被丢弃(PyTorch 把输出尺寸向下取整)。如果是有意为之就没问题;想用上每个像素,请调整填充或步幅。",
    ),
    "problem.needs_spatial": (
        "{layer} needs a (channels, height, width) input, but after Flatten the data is a flat "
        "vector. Move this layer before the Flatten layer, or remove it.",
        "{layer} 需要 (通道, 高, 宽) 形状的输入,但经过 Flatten 之后数据已是一维向量。"
        "请把这一层移到 Flatten 之前,或删除它。",
    ),
    "problem.groups_in": (
        "groups={groups} does not divide the {in_channels} input channels; choose groups that "
        "divides {in_channels} (for example 1).",
        "groups={groups} 不能整除输入通道数 {in_channels};请选择能整除 {in_channels} 的 groups(例如 1)。",
    ),
    "problem.flatten_twice": (
        "the data is already flat; this Flatten does nothing and can be removed.",
        "数据已经是一维的;这个 Flatten 不起作用,可以删除。",
    ),
    "problem.linear_needs_flatten": (
        "Linear needs a flat vector but gets a {shape} feature map; add a Flatten layer before "
        "this Linear layer.",
        "Linear 需要一维向量,但输入是 {shape} 的特征图;请在这个 Linear 层之前加一个 Flatten 层。",
    ),
    "problem.empty_net": (
        "the network has no layers; add a layer or start from a preset.",
        "网络还没有任何层;请添加一层,或从预设网络开始。",
    ),
    "problem.too_many_layers": (
        "{count} layers is too big for this classroom server; reduce the network to at most "
        "{limit} layers.",
        "{count} 层对这台课堂服务器来说太大了;请把网络减少到最多 {limit} 层。",
    ),
    "problem.too_many_params": (
        "{total} parameters is too big for this classroom server (limit {limit}); reduce the "
        "largest layer (layer {layer}): fewer channels or units, or more pooling before it.",
        "{total} 个参数对这台课堂服务器来说太大了(上限 {limit});请缩小最大的那一层(第 {layer} 层):"
        "减少通道数或神经元数,或在它之前多做池化。",
    ),
    "problem.too_much_memory": (
        "the activations need {megabytes} MB for a single image, too big for this classroom "
        "server (limit {limit} MB); reduce the input size, the channels, or add pooling "
        "(largest output: layer {layer}).",
        "处理一张图片的中间激活就需要 {megabytes} MB,对这台课堂服务器来说太大了(上限 {limit} MB);"
        "请减小输入尺寸或通道数,或增加池化(输出最大的是第 {layer} 层)。",
    ),
    "problem.last_not_linear": (
        "the network does not end with a Linear layer, so its output is not one score per "
        "class; add Flatten and Linear(number of classes) at the end to classify.",
        "网络的最后一层不是 Linear,因此输出不是每个类别一个分数;"
        "若要做分类,请在末尾加上 Flatten 和 Linear(类别数)。",
    ),
    "problem.unknown_preset": (
        "{value} is not a preset; choose one of: {allowed}.",
        "{value} 不是预设网络;请从以下选择:{allowed}。",
    ),
    "problem.no_linear": (
        "the network has no Linear layer whose size could be set to the number of classes; "
        "add Flatten and Linear at the end.",
        "网络中没有可以设为类别数的 Linear 层;请在末尾加上 Flatten 和 Linear。",
    ),
    # ---- problems found reading a JSON document or a share link (cnnviz.net.schema) ----
    "problem.json_malformed": (
        "this is not valid JSON: {message} at line {line}, column {column}. Fix the file there, "
        "or download a fresh one from the Build page.",
        "这不是有效的 JSON:第 {line} 行第 {column} 列出错({message})。请修正该处,"
        "或在“搭建 CNN”页面重新下载一份。",
    ),
    "problem.json_not_text": (
        "the file is not UTF-8 text; upload the .json file that the Build page downloads.",
        "文件不是 UTF-8 文本;请上传“搭建 CNN”页面下载的 .json 文件。",
    ),
    "problem.json_too_big": (
        "the document is {kilobytes} KB; the limit is {limit} KB. A network description is "
        "much smaller: upload the .json file that the Build page downloads.",
        "文档大小为 {kilobytes} KB,上限是 {limit} KB。网络描述文件通常小得多:"
        "请上传“搭建 CNN”页面下载的 .json 文件。",
    ),
    "problem.json_too_deep": (
        "the document is nested {depth} levels deep; a network needs at most {limit}. Remove "
        "the extra brackets.",
        "文档嵌套了 {depth} 层;描述网络最多只需要 {limit} 层。请删掉多余的括号。",
    ),
    "problem.json_schema_version": (
        "schema_version is {value}, but this app reads version {expected}; download the "
        "network again from this app's Build page.",
        "schema_version 是 {value},但本应用只能读取版本 {expected};请在本应用的“搭建 CNN”页面重新下载网络。",
    ),
    "problem.json_unknown_fields": (
        "unknown field(s): {fields}. Remove them; allowed fields are: {allowed}.",
        "未知字段:{fields}。请删除它们;允许的字段有:{allowed}。",
    ),
    "problem.json_missing_field": (
        "this required field is missing; add it (see a file downloaded from the Build page).",
        "缺少这个必填字段;请补上(可参考从“搭建 CNN”页面下载的文件)。",
    ),
    "problem.json_unknown_layer": (
        "layer type {value} is unknown; use one of: {allowed}.",
        "未知的层类型 {value};请使用以下之一:{allowed}。",
    ),
    "problem.json_wrong_type": (
        "expected a JSON {expected} here, found {got}; correct the value.",
        "这里应为 JSON {expected} 类型,实际是 {got};请改正这个值。",
    ),
    "problem.json_bad_layer": (
        "this layer's values cannot be read; check each field against a downloaded example.",
        "无法读取这一层的数值;请对照下载的示例文件逐项检查。",
    ),
    "problem.bad_share_token": (
        "the share link is damaged or incomplete, so the network could not be restored; copy "
        "the whole link again.",
        "分享链接已损坏或不完整,无法恢复网络;请重新复制完整的链接。",
    ),
    # ---- the network figures (cnnviz.viz.net) ----
    "viz.net.input": ("input", "输入"),
    "viz.net.hover_shape": ("output: {shape}", "输出:{shape}"),
    "viz.net.hover_params": ("parameters: {params}", "参数:{params}"),
    "viz.net.flow": (
        "data flows left to right; box height = H, receding side = W, thickness = channels",
        "数据从左向右流动;方块高度 = H,纵深边 = W,厚度 = 通道数",
    ),
    "viz.net.axis_layer": ("layer", "层"),
    "viz.net.axis_params": ("parameters", "参数量"),
    "viz.net.kind.input": ("input", "输入"),
    "viz.net.kind.conv2d": ("convolution", "卷积"),
    "viz.net.kind.residual": ("residual block", "残差块"),
    "viz.net.kind.maxpool2d": ("max pooling", "最大池化"),
    "viz.net.kind.avgpool2d": ("average pooling", "平均池化"),
    "viz.net.kind.global_avg_pool": ("global average pooling", "全局平均池化"),
    "viz.net.kind.batchnorm2d": ("batch normalisation", "批归一化"),
    "viz.net.kind.lrn": ("local response normalisation", "局部响应归一化"),
    "viz.net.kind.activation": ("activation", "激活函数"),
    "viz.net.kind.dropout": ("dropout", "Dropout"),
    "viz.net.kind.dropout2d": ("channel dropout", "通道 Dropout"),
    "viz.net.kind.flatten": ("flatten", "展平"),
    "viz.net.kind.linear": ("fully connected", "全连接"),
    "viz.net.kind.error": ("layer with a problem", "有问题的层"),
    "viz.net.kind.unknown": (
        "shape unknown (fix the problem before)",
        "形状未知(请先修正前面的问题)",
    ),
    # ---- the AlexNet article checked (cnnviz.lessons.alexnet_article, pages/build/article.py)
    "build.article.title": (
        "Checked: the article 「卷积神经网络 (AlexNet)」",
        "核对:文章「卷积神经网络 (AlexNet)」",
    ),
    "build.article.intro": (
        "A Chinese article, 「卷积神经网络 (AlexNet)」, walks through this network and counts each "
        "layer's parameters by hand. Recomputed from this preset (weights and biases), "
        "{wrong} of its counts are wrong: its formula adds the biases, but its result leaves "
        "them out.",
        "中文文章「卷积神经网络 (AlexNet)」逐层讲解了这个网络,并手工计算了每层的参数量。"
        "用这个预设重新计算(权重加偏置)后,其中有 {wrong} 个数不对:文中的公式加上了偏置,"
        "算出的结果却漏掉了它们。",
    ),
    "build.article.col_layer": ("layer", "层"),
    "build.article.col_article": ("the article says", "文章写的"),
    "build.article.col_correct": ("correct", "正确值"),
    "build.article.col_formula": ("formula (this preset)", "公式(本预设)"),
    "build.article.col_verdict": ("verdict", "结论"),
    "build.article.right": ("✓ right", "✓ 正确"),
    "build.article.wrong": ("✗ wrong: {missing} short (the biases)", "✗ 错误:少了 {missing}(偏置)"),
    "build.article.order": (
        "Order of conv1 and conv2: the article writes {article}; the paper (section 3.5: "
        "normalisation follows the first two convolutions, and max pooling follows the "
        "normalisation) and this preset use {preset}.",
        "conv1 和 conv2 的顺序:文章写的是 {article};论文(第 3.5 节:前两个卷积层之后接局部响应归一化,"
        "最大池化接在归一化之后)和本预设用的是 {preset}。",
    ),
    "build.article.kind.conv": ("conv", "卷积"),
    "build.article.kind.relu": ("ReLU", "ReLU"),
    "build.article.kind.lrn": ("LRN", "局部响应归一化"),
    "build.article.kind.pool": ("max pool", "最大池化"),
    "build.article.kind.other": ("other", "其他"),
    # ---- presets (cnnviz.net.presets): title and description shown on the Build page ----
    "preset.tiny.title": ("Tiny (default, 6 shapes)", "迷你网络(默认,6 类图形)"),
    "preset.tiny.description": (
        "The default network for the built-in 28x28 'shapes' data (6 classes): two 3x3 "
        "convolutions with padding 1 (size kept), each followed by ReLU and 2x2 max pooling "
        "(28 -> 14 -> 7), then one Linear layer. 5,958 parameters: trains in seconds on a CPU.",
        "内置 28x28“图形”数据(6 类)的默认网络:两个填充为 1 的 3x3 卷积(尺寸不变),"
        "每个后面接 ReLU 和 2x2 最大池化(28 -> 14 -> 7),最后一个 Linear 层。"
        "共 5,958 个参数,在 CPU 上几秒钟就能训练完。",
    ),
    "preset.lenet5.title": ("LeNet-5 (LeCun 1998)", "LeNet-5(LeCun 1998)"),
    "preset.lenet5.description": (
        "LeNet-5 for 32x32 digits: C1 6@5x5, S2 2x2 subsampling, C3 16@5x5, S4, C5 120@5x5 (a "
        "convolution whose output is 1x1), F6 84, output 10. Differences from the paper: S2/S4 "
        "are plain average pooling + tanh (the paper's subsampling had a trainable weight and "
        "bias per map and a scaled tanh), C3 connects to all 6 maps (the paper used a sparse "
        "table: 1,516 instead of 2,416 parameters, biases included), and the output is a Linear "
        "layer instead of RBF units.",
        "用于 32x32 手写数字的 LeNet-5:C1 6@5x5,S2 2x2 下采样,C3 16@5x5,S4,"
        "C5 120@5x5(输出为 1x1 的卷积),F6 84,输出 10。与论文的不同:S2/S4 用普通平均池化加 tanh"
        "(论文中的下采样每张特征图有可训练的权重和偏置,并用缩放过的 tanh);C3 连接全部 6 张特征图"
        "(论文用稀疏连接表:参数量为 1,516 而非 2,416,都含偏置);输出层用 Linear 代替 RBF 单元。",
    ),
    "preset.classic-cnn.title": ("Classic CNN (Xu, 2019)", "经典 CNN(徐振忠,2019)"),
    "preset.classic-cnn.description": (
        "The 'classic CNN' of a Chinese journal article for 28x28 images: 6@5x5 convolution, "
        "2x2 mean pooling, 12@5x5 convolution, 2x2 mean pooling, fully connected output. The "
        "article does not name the activation; cnnviz uses sigmoid after each convolution, as "
        "classic networks of this shape did (swap in ReLU to see it train faster).",
        "一篇中文期刊文章中的“经典 CNN”,输入 28x28:6@5x5 卷积,2x2 均值池化,12@5x5 卷积,"
        "2x2 均值池化,全连接输出。文章没有写明激活函数;cnnviz 在每个卷积后用 sigmoid,"
        "这是这类早期网络的常见做法(换成 ReLU 可以看到训练更快)。",
    ),
    "preset.keras-mnist.title": (
        "Keras MNIST example (Chinese blog post)",
        "Keras MNIST 示例(中文博客)",
    ),
    "preset.keras-mnist.description": (
        "The Keras example network from a Chinese blog post for 28x28 digits: 4@5x5 tanh, "
        "8@3x3 tanh, 2x2 max pooling, 16@3x3 ReLU, 2x2 max pooling, dense 128 tanh, dense 10. "
        "The post's 16*4*4 = 256 inputs to the dense layer is right: 9x9 pooled by 2 floors to "
        "4x4 (the 9th row and column are never used).",
        "一篇中文博客中的 Keras 示例网络,输入 28x28 手写数字:4@5x5 tanh,8@3x3 tanh,2x2 最大池化,"
        "16@3x3 ReLU,2x2 最大池化,全连接 128 tanh,全连接 10。文中全连接层的输入 16*4*4 = 256 是对的:"
        "9x9 经 2x2 池化向下取整为 4x4(第 9 行和第 9 列没有被用到)。",
    ),
    "preset.tinyvgg.title": ("TinyVGG (CNN Explainer)", "TinyVGG(CNN Explainer)"),
    "preset.tinyvgg.description": (
        "TinyVGG, the network shown in CNN Explainer: 64x64 colour images, two blocks of two "
        "3x3 convolutions (10 filters, no padding) with ReLU and 2x2 max pooling, then one "
        "Linear layer for 10 classes (Tiny ImageNet classes such as lifeboat and ladybug).",
        "CNN Explainer 中展示的 TinyVGG:输入 64x64 彩色图像,两个模块,每个模块含两个 3x3 卷积"
        "(10 个卷积核,无填充)加 ReLU 和 2x2 最大池化,最后一个 Linear 层输出 10 类"
        "(Tiny ImageNet 中的救生艇、瓢虫等类别)。",
    ),
    "preset.cifar-small.title": (
        "Small CIFAR-10 network (TensorFlow tutorial)",
        "小型 CIFAR-10 网络(TensorFlow 教程)",
    ),
    "preset.cifar-small.description": (
        "The small CIFAR-10 network (32x32 colour images, 10 classes) of the TensorFlow CNN "
        "tutorial: 32@3x3, max pool, 64@3x3, max pool, 64@3x3 (all ReLU, no padding), dense 64 "
        "ReLU, dense 10. 122,570 parameters.",
        "TensorFlow CNN 教程中的小型 CIFAR-10 网络(32x32 彩色图像,10 类):32@3x3,最大池化,"
        "64@3x3,最大池化,64@3x3(都用 ReLU,无填充),全连接 64 ReLU,全连接 10。共 122,570 个参数。",
    ),
    "preset.resnet-mini.title": ("Mini ResNet", "迷你 ResNet"),
    "preset.resnet-mini.description": (
        "A small residual network for 32x32 colour images: a 3x3 stem with batch norm, three "
        "basic residual blocks (16, 32 and 64 channels; the last two halve the size with stride "
        "2 and use a 1x1 projection shortcut), global average pooling and a Linear layer.",
        "用于 32x32 彩色图像的小型残差网络:一个带批归一化的 3x3 起始卷积,三个基本残差块"
        "(16、32、64 通道;后两个用步幅 2 把尺寸减半,并使用 1x1 投影快捷连接),全局平均池化和一个 Linear 层。",
    ),
    "preset.alexnet2012.title": ("AlexNet (Krizhevsky et al. 2012)", "AlexNet(Krizhevsky 等,2012)"),
    "preset.alexnet2012.description": (
        "AlexNet as published for ImageNet (1000 classes), 227x227x3 input: conv1 96@11x11 "
        "stride 4, ReLU, local response normalisation (the paper's α = 1e-4, n = 5, β = 0.75, k = 2: "
        "nn.LocalResponseNorm(5, alpha=5e-4), since PyTorch divides α by n), overlapping "
        "3x3/2 max pooling; conv2 "
        "256@5x5 in two groups (the two GPUs), conv3 384@3x3, conv4 384@3x3 and conv5 256@3x3 "
        "in two groups; dropout 0.5 before the two 4096-unit layers. 60,965,224 parameters. "
        "The paper says 224x224 inputs, which give 54x54 after an unpadded conv1; any size from 227 "
        "to 230 gives its 55x55 (floor((n − 11) / 4) + 1 = 55), and so does 224 with padding 2. "
        "227 is the smallest such size, the usual choice.",
        "论文发表时用于 ImageNet(1000 类)的 AlexNet,输入 227x227x3:conv1 96@11x11 步幅 4,ReLU,"
        "局部响应归一化(论文的 α = 1e-4、n = 5、β = 0.75、k = 2,即 nn.LocalResponseNorm(5, alpha=5e-4),"
        "因为 PyTorch 会把 α 除以 n),重叠的 3x3/2 最大池化;conv2 256@5x5 分两组(对应两块 GPU),"
        "conv3 384@3x3,conv4 384@3x3 和 conv5 256@3x3 分两组;两个 4096 单元的全连接层前各有 0.5 的 "
        "Dropout。参数量为 60,965,224。论文写的是 224x224 输入,但不加填充时 conv1 只输出 54x54;"
        "227 到 230 之间的任何尺寸都能得到 55x55(floor((n − 11) / 4) + 1 = 55),"
        "224 加 2 的填充也可以。227 是其中最小的,也是通常的选择。",
    ),
}
