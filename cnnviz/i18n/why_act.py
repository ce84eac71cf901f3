"""Strings of the /activations explorer (activation functions, vanishing gradients, dead ReLUs)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "home.card.activations": (
        "Ten activation functions with their derivatives from autograd; why stacked linear layers collapse into one; a real backward pass through up to 50 layers with the 0.25ⁿ bound for sigmoid; the bottleneck block; dead ReLUs after a too-large learning rate.",
        "十种激活函数及自动求导得到的导数;为什么堆叠的线性层会合并成一层;最多 50 层的真实反向传播,以及 sigmoid 的 0.25ⁿ 上界;瓶颈块;学习率过大后的死亡 ReLU。",
    ),
    "nav.activations": ("Activations and gradients", "激活函数与梯度"),
    "act.title": ("Activation functions and their gradients", "激活函数及其梯度"),
    "act.intro": (
        "Why ReLU and not sigmoid? The articles {dnn} and {alexnet} answer: a sigmoid's derivative is at most 1/4 and almost 0 away from 0, so in a deep network the gradient is multiplied by many small numbers on its way back and vanishes; ReLU's derivative is exactly 1 where it is active. Here every curve, derivative and gradient is computed by PyTorch (autograd), with your numbers.",
        "为什么用 ReLU 而不用 sigmoid?文章 {dnn} 和 {alexnet} 的回答是:sigmoid 的导数最大只有 1/4,离 0 稍远就几乎为 0,所以在深层网络中,梯度反向传播时要乘上许多很小的数,最终消失;而 ReLU 在激活区的导数恰好是 1。本页的每条曲线、每个导数和梯度都由 PyTorch(自动求导)用你的数值算出。",
    ),
    "act.fn.sigmoid": ("sigmoid", "sigmoid"),
    "act.fn.tanh": ("tanh", "tanh"),
    "act.fn.relu": ("ReLU", "ReLU"),
    "act.fn.leaky_relu": ("leaky ReLU", "Leaky ReLU"),
    "act.fn.prelu": ("PReLU (learnable slope)", "PReLU(可学习斜率)"),
    "act.fn.elu": ("ELU", "ELU"),
    "act.fn.selu": ("SELU", "SELU"),
    "act.fn.gelu": ("GELU", "GELU"),
    "act.fn.softplus": ("softplus", "softplus"),
    "act.fn.silu": ("SiLU (swish)", "SiLU(swish)"),
    "act.init.default": ("PyTorch default", "PyTorch 默认"),
    "act.van.init_help": (
        "PyTorch's default for Conv2d and Linear is Kaiming uniform with a = √5: weights uniform in ±1/√fan_in.",
        "PyTorch 中 Conv2d 和 Linear 的默认初始化是 a = √5 的 Kaiming 均匀分布:权重在 ±1/√fan_in 内均匀分布。",
    ),
    "act.init.kaiming": ("Kaiming (He) normal", "Kaiming(He)正态"),
    "act.init.xavier": ("Xavier (Glorot) uniform", "Xavier(Glorot)均匀"),
    "act.init.normal": ("normal, σ = 0.1", "正态分布,σ = 0.1"),
    # ---- curves ----
    "act.curves.title": ("Curves and derivatives", "函数曲线与导数"),
    "act.curves.intro": (
        "Each function f(x) on the left, its derivative f′(x) on the right, computed by autograd (one backward pass through the real `torch.nn` module). A wide pale band marks where the function is saturated: |f′(x)| < 0.05, so a gradient passing there shrinks at least 20-fold.",
        "左图是函数 f(x),右图是它的导数 f′(x),由自动求导算出(对真实的 `torch.nn` 模块做一次反向传播)。宽而浅的色带标出函数的饱和区:|f′(x)| < 0.05,梯度经过这里至少缩小 20 倍。",
    ),
    "act.curves.pick": ("Functions", "函数"),
    "act.curves.cursor": ("Cursor x", "光标 x"),
    "act.curves.prelu": ("PReLU slope a", "PReLU 斜率 a"),
    "act.curves.leaky": ("Leaky ReLU slope", "Leaky ReLU 斜率"),
    "act.curves.none": ("Pick at least one function.", "请至少选择一个函数。"),
    "act.curves.shading": (
        "Wide pale band on a derivative: the saturated region of that function.",
        "导数曲线上宽而浅的色带:该函数的饱和区。",
    ),
    "act.curves.readout": ("At the cursor x = {x}:", "光标位置 x = {x} 处:"),
    "act.col.function": ("function", "函数"),
    "act.curves.notice": (
        "Sigmoid's derivative never exceeds 0.25 (at x = 0) and is below 0.05 once |x| > 2.9; tanh peaks at 1 but saturates too. ReLU's derivative is exactly 1 for every positive x and exactly 0 for negative x: no shrinking, but a unit stuck below 0 gets no gradient at all. Leaky ReLU, PReLU and ELU keep a small slope there; for PReLU the slope a is a parameter, and ∂f/∂a (= x where x < 0) is what it learns from.",
        "sigmoid 的导数最大只有 0.25(在 x = 0 处),|x| > 2.9 时就低于 0.05;tanh 的导数最大为 1,但同样会饱和。ReLU 的导数在所有正 x 处恰好为 1,在负 x 处恰好为 0:梯度不会缩小,但输入一直小于 0 的单元完全得不到梯度。Leaky ReLU、PReLU 和 ELU 在负半轴保留一点斜率;PReLU 的斜率 a 本身是参数,它靠 ∂f/∂a(x < 0 时等于 x)来学习。",
    ),
    # ---- why non-linearity ----
    "act.lin.title": ("Why a non-linearity at all", "为什么一定要非线性"),
    "act.lin.intro": (
        "Two linear layers in a row, y = W₂(W₁x + b₁) + b₂, are one linear layer with W = W₂W₁ and b = W₂b₁ + b₂: depth buys nothing. Enter an input x (1 to 6 numbers); the weights are small seeded integers so you can check the products by hand.",
        "两个线性层相连,y = W₂(W₁x + b₁) + b₂,等价于一个线性层,其中 W = W₂W₁,b = W₂b₁ + b₂:加深毫无意义。输入 x(1 到 6 个数);权重是带随机种子的小整数,方便你手工验算乘积。",
    ),
    "act.lin.x": ("Input x (comma-separated)", "输入 x(用逗号分隔)"),
    "act.lin.seed": ("Weights seed", "权重随机种子"),
    "act.lin.result": (
        "Two layers against one: largest difference **{linear}** (the same network). With a ReLU between them: largest difference **{relu}**: the ReLU zeroes the negative entries of W₁x + b₁, and no single matrix can do that for every x.",
        "两层与一层相比:最大差值 **{linear}**(是同一个网络)。中间加上 ReLU 后:最大差值 **{relu}**:ReLU 把 W₁x + b₁ 中的负数置零,没有任何一个矩阵能对所有 x 做到这一点。",
    ),
    "act.lin.notice": (
        "Without an activation a 100-layer network is still one matrix. The AlexNet article asks how a piecewise-linear ReLU can be non-linear: different inputs switch different units on, so the matrix that acts on x changes with x. If no entry of W₁x + b₁ is negative, the ReLU changes nothing: try another x.",
        "没有激活函数,100 层的网络仍然只是一个矩阵。AlexNet 那篇文章问:分段线性的 ReLU 怎么会是非线性的?因为不同的输入会激活不同的单元,作用在 x 上的矩阵随 x 而变。如果 W₁x + b₁ 没有负数,ReLU 什么也不改变:换一个 x 试试。",
    ),
    # ---- vanishing gradients ----
    "act.van.title": ("Vanishing gradients: one real backward pass", "梯度消失:一次真实的反向传播"),
    "act.van.intro": (
        "A stack of 3x3 convolutions (8 channels) on a batch of 8 built-in shapes pictures (average-pooled to 7x7), each followed by the activation; then global average pooling, a linear layer and the cross-entropy loss. One backward pass; the chart shows ‖∂L/∂W‖ of every layer on a log scale. Residual: each layer from the second on adds its input back, h ← h + f(conv(h)).",
        "一叠 3x3 卷积(8 个通道),输入是 8 张内置形状图片(平均池化到 7x7),每层卷积后接激活函数;最后是全局平均池化、一个线性层和交叉熵损失。做一次反向传播,图中以对数坐标画出每层的 ‖∂L/∂W‖。残差:从第二层起,每层把输入加回去,h ← h + f(conv(h))。",
    ),
    "act.van.depth": ("Depth ({low} to {high} conv layers)", "深度({low} 到 {high} 个卷积层)"),
    "act.van.activation": ("Activation", "激活函数"),
    "act.van.init": ("Initialisation", "初始化"),
    "act.van.residual": ("Residual connections", "残差连接"),
    "act.van.plain": ("plain", "普通"),
    "act.van.residual_kind": ("residual", "残差"),
    "act.van.series": ("{fn}, {kind}", "{fn},{kind}"),
    "act.van.ratio": (
        "Measured with {depth} layers: ‖∂L/∂W₁‖ = {first}, ‖∂L/∂W_last‖ = {last}, so the first layer's gradient is **{ratio}** times the last one's (loss {loss}).",
        "{depth} 层的实测结果:‖∂L/∂W₁‖ = {first},‖∂L/∂W_末层‖ = {last},第一层的梯度是最后一层的 **{ratio}** 倍(损失 {loss})。",
    ),
    "act.van.bound": (
        "On its way back to layer 1 the gradient passes through n = {n} sigmoids, each multiplying it by σ′(z) ≤ 1/4: the sigmoid factors alone shrink it by at least 0.25ⁿ = **{bound}**. Measured ratio: **{ratio}** (the weights multiply in too).",
        "梯度传回第 1 层时要经过 n = {n} 个 sigmoid,每个都乘上 σ′(z) ≤ 1/4:仅 sigmoid 这些因子就至少把它缩小到 0.25ⁿ = **{bound}**。实测比值:**{ratio}**(权重也会参与相乘)。",
    ),
    "act.van.bound_other": (
        "For sigmoid the factor would be at most 0.25ⁿ = {bound} with n = {n}; this activation's derivative is not capped at 1/4.",
        "如果是 sigmoid,这个因子最多为 0.25ⁿ = {bound}(n = {n});当前激活函数的导数没有 1/4 的上限。",
    ),
    "act.van.compare_title": (
        "Sigmoid against ReLU, plain against residual",
        "sigmoid 对 ReLU,普通对残差",
    ),
    "act.van.compare_caption": (
        "The same depth ({depth}), initialisation ({init}), data and seed; only the activation and the connections change.",
        "相同的深度({depth})、初始化({init})、数据和随机种子;只改变激活函数和连接方式。",
    ),
    "act.van.ratios": ("First-to-last gradient ratio:", "首层与末层梯度之比:"),
    "act.van.notice": (
        "Plain sigmoid: the gradient falls by orders of magnitude per few layers, so the first layers barely learn (the articles' 梯度弥散). Plain ReLU with Kaiming initialisation keeps it level, because Kaiming's std √(2/fan_in) is chosen to undo ReLU's halving; with PyTorch's default it still fades. Residual connections carry the gradient past every layer through the identity, sigmoid or not: that is why ResNets can have 150 layers.",
        "普通 sigmoid 网络:每过几层梯度就下降几个数量级,前几层几乎学不到东西(文章所说的“梯度弥散”)。普通 ReLU 网络配合 Kaiming 初始化能让梯度保持平稳,因为 Kaiming 的标准差 √(2/fan_in) 正好抵消 ReLU 把方差减半的效果;用 PyTorch 默认初始化仍会逐渐衰减。残差连接通过恒等路径把梯度直接送过每一层,不论是不是 sigmoid:这就是 ResNet 能有 150 层的原因。",
    ),
    "act.viz.values": ("f(x)", "f(x)"),
    "act.viz.derivatives": ("f′(x) by autograd", "自动求导得到的 f′(x)"),
    "act.viz.norms": ("Gradient norm of each layer's weights", "各层权重的梯度范数"),
    "act.viz.compare": ("Four networks, same depth and seed", "四个网络,相同深度与随机种子"),
    "act.viz.layer": ("layer (1 = nearest the input)", "层(1 = 最靠近输入)"),
    "act.viz.norm": ("‖∂L/∂W‖ (log scale)", "‖∂L/∂W‖(对数坐标)"),
    # ---- bottleneck ----
    "act.bottle.title": ("The bottleneck block (1x1 → 3x3 → 1x1)", "瓶颈块(1x1 → 3x3 → 1x1)"),
    "act.bottle.intro": (
        "The article {article} describes ResNet's bottleneck: a 1x1 convolution squeezes the channels to a quarter, the 3x3 works on those, and a 1x1 expands them back, with the identity shortcut around all three. The Build page has it: a ResidualBlock layer with “bottleneck” ticked. Parameters counted by the Build page's formulas (and checked against `nn.Module.parameters()` in the tests):",
        "文章 {article} 介绍了 ResNet 的瓶颈结构:先用 1x1 卷积把通道压缩到四分之一,3x3 卷积在这些通道上计算,再用 1x1 卷积扩展回去,三者外面绕一条恒等捷径。“搭建 CNN”页面提供这种层:勾选了“bottleneck”的 ResidualBlock。参数量用“搭建 CNN”页面的公式计算(测试中与 `nn.Module.parameters()` 核对):",
    ),
    "act.bottle.width": ("Width (channels in and out)", "宽度(输入和输出通道数)"),
    "act.bottle.basic": ("Plain residual block (3x3 → 3x3)", "普通残差块(3x3 → 3x3)"),
    "act.bottle.bottleneck": ("Bottleneck block (1x1 → 3x3 → 1x1)", "瓶颈块(1x1 → 3x3 → 1x1)"),
    "act.bottle.ratio": (
        "At width {width} the plain block has **{ratio}x** the parameters: its two 3x3 convolutions work on all {width} channels, the bottleneck's one 3x3 only on {mid}.",
        "宽度为 {width} 时,普通残差块的参数量是瓶颈块的 **{ratio} 倍**:它的两个 3x3 卷积都作用在全部 {width} 个通道上,而瓶颈块只有一个 3x3 卷积,且只作用在 {mid} 个通道上。",
    ),
    "act.bottle.open": (
        "Open a network with both blocks on the Build page",
        "在“搭建 CNN”页面打开含这两种块的网络",
    ),
    # ---- dead ReLUs ----
    "act.dead.title": ("Dead ReLUs and sparsity", "死亡 ReLU 与稀疏性"),
    "act.dead.intro": (
        "A ReLU outputs exactly 0 for every negative input, so a ReLU network is sparse: the AlexNet article counts this as an advantage. A unit is dead when it is 0 for every picture and position of a batch: its gradient is 0 too and nothing revives it. Solid bars: the fraction of zero outputs per layer; hatched: the fraction of dead units. Train the same network twice in the background, same seed, plain SGD: once at lr {sane}, once at a large learning rate.",
        "ReLU 对所有负输入都输出恰好 0,所以 ReLU 网络是稀疏的:AlexNet 那篇文章把这算作优点。如果一个单元对一个批次中的所有图片、所有位置都输出 0,它就“死亡”了:它的梯度也是 0,再也无法复活。实心柱:每层输出为 0 的比例;斜线柱:死亡单元的比例。在后台把同一个网络训练两次,随机种子相同,用普通 SGD:一次学习率为 {sane},一次用很大的学习率。",
    ),
    "act.dead.train_page": ("your network from the Train page", "“实时训练”页面上你的网络"),
    "act.dead.no_train_model": (
        "Train a network on the Train page and it appears here too (its ReLU layers measured on its own validation pictures).",
        "在“实时训练”页面训练一个网络,它也会显示在这里(在它自己的验证图片上测量各 ReLU 层)。",
    ),
    "act.dead.rate": ("Large learning rate (SGD)", "大学习率(SGD)"),
    "act.dead.start": ("Train both in the background", "在后台训练这两个网络"),
    "act.dead.untrained": ("untrained (fresh initial weights)", "未训练(刚初始化的权重)"),
    "act.dead.run_sane": ("lr {lr}: {acc}% validation accuracy", "学习率 {lr}:验证准确率 {acc}%"),
    "act.dead.run_large": ("lr {lr}: {acc}% validation accuracy", "学习率 {lr}:验证准确率 {acc}%"),
    "act.dead.notice": (
        "About half of the outputs are 0 even in a healthy network: that is ReLU's sparsity. With the large learning rate one big step pushes many units' biases far below zero; they stop firing for every picture, get no gradient, and stay dead: whole layers go silent and the accuracy falls to chance (1 in 6). Leaky ReLU, a smaller learning rate, or batch norm avoid it.",
        "即使在健康的网络中,也有大约一半的输出为 0:这就是 ReLU 的稀疏性。用大学习率时,一次大步更新会把许多单元的偏置推到远低于 0;它们对任何图片都不再激活,得不到梯度,从此死亡:整层都沉默了,准确率跌到随机猜测的水平(六分之一)。Leaky ReLU、更小的学习率或批归一化都能避免这种情况。",
    ),
    "act.viz.sparsity": (
        "Zero outputs and dead units per activation layer",
        "各激活层的零输出与死亡单元",
    ),
    "act.viz.zero": ("zero outputs: {run}", "零输出:{run}"),
    "act.viz.dead": ("dead units: {run}", "死亡单元:{run}"),
}
