"""Strings of the "why a network learns" explorers that more than one page shares: what a learner
typed wrong (``cnnviz.concepts.inputs``), and the source articles' titles."""

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- bad input: a message, and the page keeps the last good state ----
    "why.input.empty": (
        "Enter at least one number (separate numbers with commas or spaces).",
        "请至少输入一个数(数之间用逗号或空格分隔)。",
    ),
    "why.input.too_long": (
        "{count} numbers is too many: enter at most {maximum}.",
        "{count} 个数太多了:最多输入 {maximum} 个。",
    ),
    "why.input.too_short": (
        "{count} number(s) is too few: enter at least {minimum}.",
        "{count} 个数太少了:至少输入 {minimum} 个。",
    ),
    "why.input.not_number": (
        "Number {position} ({value}) is not a number.",
        "第 {position} 个数({value})不是数字。",
    ),
    "why.input.not_finite": (
        "Number {position} is {value}: enter finite numbers only (no NaN or infinity).",
        "第 {position} 个数是 {value}:只能输入有限的数(不能是 NaN 或无穷大)。",
    ),
    "why.input.too_large": (
        "Number {position} ({value}) is too large: keep every value within ±{bound}.",
        "第 {position} 个数({value})太大:每个值都要在 ±{bound} 以内。",
    ),
    "why.input.ragged": (
        "The two vectors must have the same length (one has {first} values, the other {second}).",
        "两个向量的长度必须相同(一个有 {first} 个值,另一个有 {second} 个)。",
    ),
    "why.input.bad_index": (
        "The {name} class {value} does not exist: classes are numbered 0 to {last}.",
        "{name} 类别 {value} 不存在:类别编号为 0 到 {last}。",
    ),
    "why.input.out_of_range": (
        "{name} = {value} is out of range: choose a value from {low} to {high}.",
        "{name} = {value} 超出范围:请选择 {low} 到 {high} 之间的值。",
    ),
    "why.input.bad_choice": (
        "{value} is not one of the choices ({allowed}).",
        "{value} 不在可选项中({allowed})。",
    ),
    "why.input.empty_range": (
        "The range {low} to {high} is empty: the start must be below the end.",
        "范围 {low} 到 {high} 是空的:起点必须小于终点。",
    ),
    "why.input.kept": (
        "The page still shows the last valid input.",
        "页面仍显示上一次有效的输入。",
    ),
    "why.grad.bad_depth": (
        "A depth of {value} is not possible here: choose {low} to {high} layers (one backward pass must answer at once on a shared server).",
        "这里不能用 {value} 层:请选择 {low} 到 {high} 层(在共享服务器上,一次反向传播必须立即完成)。",
    ),
    "why.grad.bad_width": (
        "Width {value}: a bottleneck block needs a width from 4 to 1024 that is a multiple of 4 (its 1x1 convolution squeezes to width / 4).",
        "宽度 {value}:瓶颈块的宽度必须在 4 到 1024 之间且是 4 的倍数(它的 1x1 卷积把通道压缩到宽度 / 4)。",
    ),
    "why.loss.logit_too_large": (
        "Logit {position} is {value}: keep logits within ±{bound}. Beyond that softmax is already exactly one-hot (e^100 ≈ 2.7e43), and a naive exp() would overflow to infinity.",
        "第 {position} 个 logit 是 {value}:logit 请保持在 ±{bound} 以内。超出这个范围,softmax 已经完全是独热向量(e^100 ≈ 2.7e43),直接计算 exp() 还会溢出成无穷大。",
    ),
    "why.loss.bad_probability": (
        "Probability {position} is {value}: probabilities must be above 0 and at most 1 (ln 0 is minus infinity).",
        "第 {position} 个概率是 {value}:概率必须大于 0 且不超过 1(ln 0 是负无穷)。",
    ),
    "why.loss.bad_sum": (
        "These probabilities sum to {total}, not 1: a softmax output always sums to 1. Fix them, or enter logits instead.",
        "这些概率之和是 {total},不是 1:softmax 的输出之和总是 1。请修改,或改为输入 logits。",
    ),
    "why.reg.bad_p": (
        "p = {value} is not allowed: choose a drop probability from 0 to {high}. With p = 1 every unit is dropped and the kept ones would be divided by 1 - p = 0.",
        "p = {value} 不允许:丢弃概率请选 0 到 {high}。p = 1 时所有单元都被丢弃,而保留的单元要除以 1 - p = 0。",
    ),
    "why.reg.bad_channels": (
        "Enter 2 to {maximum} channel values ({count} given).",
        "请输入 2 到 {maximum} 个通道值(现在是 {count} 个)。",
    ),
    # ---- the source articles, by their own titles ----
    "why.article.tcnn": (
        "「关于卷积神经网络损失函数的改进算法」",
        "《关于卷积神经网络损失函数的改进算法》",
    ),
    "why.article.dnn": (
        "「深度学习|卷积的平移不变性公式,卷积减少参数的方法」",
        "《深度学习|卷积的平移不变性公式,卷积减少参数的方法》",
    ),
    "why.article.cnn002": (
        "「深度学习之卷积神经网络(Convolutional Neural Networks, CNN)」",
        "《深度学习之卷积神经网络(Convolutional Neural Networks, CNN)》",
    ),
    "why.article.cnn003": ("「[深度学习] 卷积神经网络CNN」", "《[深度学习] 卷积神经网络CNN》"),
    "why.article.alexnet": ("「卷积神经网络」 (AlexNet)", "《卷积神经网络》(AlexNet)"),
    "nav.losses": ("Softmax and losses", "Softmax 与损失函数"),
    "nav.regularize": ("Dropout and normalisation", "Dropout 与归一化"),
    "why.notice": ("What to notice", "值得注意"),
    "why.link.build": ("Open the Build page", "打开“搭建 CNN”页面"),
    "why.link.train": ("Open the Train page", "打开“实时训练”页面"),
    "why.job.queued": (
        "Waiting for a free worker (position {position}).",
        "等待空闲的计算进程(第 {position} 位)。",
    ),
    "why.job.stop": ("Stop", "停止"),
    "why.job.failed": ("The run failed: {error}", "运行失败:{error}"),
    "why.job.progress": ("Training… {seconds:.0f} s", "训练中…… {seconds:.0f} 秒"),
}
