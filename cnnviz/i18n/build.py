"""Strings of the "Build a CNN" page, the network diagram, presets, and the problems that shape
inference and the JSON schema report."""

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- problems found by cnnviz.shapes (whole-network checks) ----
    "problem.kernel_too_big": (
        "the window spans {kernel} pixels along {axis}, but the input there is only {size} "
        "({padded} with padding), so the output would be empty. Use a smaller kernel or more "
        "padding, or remove a layer before this one that shrinks the map.",
        "窗口在 {axis} 方向跨 {kernel} 个像素,但该方向的输入只有 {size}(加上填充为 {padded}),"
        "输出会是空的。请减小卷积核、增加 padding,或删掉前面某个使特征图变小的层。",
    ),
    "problem.floor_truncation": (
        "the windows do not tile the input exactly: the last {rows} row(s) and {cols} column(s) "
        "are never covered and are dropped (PyTorch rounds the output size down). Fine if "
        "intended; adjust padding or stride to use every pixel.",
        "窗口不能恰好铺满输入:最后 {rows} 行和 {cols} 列没有被任何窗口覆盖,会被丢弃"
        "(PyTorch 把输出尺寸向下取整)。如果是有意为之就没问题;想用上每个像素,请调整 padding 或 stride。",
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
}
