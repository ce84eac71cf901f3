"""Messages for :class:`cnnviz.net.specs.Problem` codes: what is wrong and what to change."""

MESSAGES: dict[str, tuple[str, str]] = {
    "problem.where_layer": ("Layer {number}", "第 {number} 层"),
    "problem.not_int": (
        "{value} is not a whole number; enter an integer.",
        "{value} 不是整数;请输入一个整数。",
    ),
    "problem.not_number": (
        "{value} is not a number; enter a number.",
        "{value} 不是数字;请输入一个数字。",
    ),
    "problem.not_bool": ("{value} must be true or false.", "{value} 必须是 true 或 false。"),
    "problem.not_int_pair": (
        "{value} must be a whole number or a pair (height, width) of whole numbers.",
        "{value} 必须是一个整数,或一对整数 (高, 宽)。",
    ),
    "problem.unet_stride": (
        "Input {size}x{size} does not divide by the U-Net's total stride {stride} ({depth} max-pools of stride 2): at the concatenation {concat} the up-sampled map is {up}x{up} but the skip from the encoder is {skip}x{skip}, and maps of different sizes cannot be concatenated. Use an input of {sizes}, or fewer pooling levels.",
        "输入 {size}x{size} 不能被 U-Net 的总步幅 {stride}({depth} 个步幅为 2 的最大池化)整除:在拼接层 {concat},上采样得到的特征图是 {up}x{up},而来自编码器的跳跃连接是 {skip}x{skip},尺寸不同的特征图无法拼接。请把输入改为 {sizes},或减少池化层数。",
    ),
    "problem.unet_stride_no_skip": (
        "Input {size}x{size} does not divide by the U-Net's total stride {stride} ({depth} max-pools of stride 2): the decoder's output would be {up}x{up} at level {concat}, not {skip}x{skip}, so the mask would not match the image. Use an input of {sizes}, or fewer pooling levels.",
        "输入 {size}x{size} 不能被 U-Net 的总步幅 {stride}({depth} 个步幅为 2 的最大池化)整除:在 {concat} 这一层,解码器输出 {up}x{up},而不是 {skip}x{skip},预测的掩码将与图像大小不符。请把输入改为 {sizes},或减少池化层数。",
    ),
    "problem.unet_not_steppable": (
        "The U-Net has no layer {value} that a stepper can open: only its up-sampling layers (up1, up2, ...), its max-pools (pool1, ...) and its 1x1 head open in a stepper.",
        "U-Net 中没有可在演示器中打开的层 {value}:只有上采样层(up1、up2……)、最大池化层(pool1……)和 1x1 输出层可以打开。",
    ),
    "problem.unet_too_small": (
        "Input {size}x{size} is too small for {depth} max-pools of stride 2 (total stride {stride}): the bottom map would vanish. Use an input of {sizes}, or fewer pooling levels.",
        "输入 {size}x{size} 太小,经不起 {depth} 次步幅为 2 的最大池化(总步幅 {stride}):最底层的特征图会缩没。请把输入改为 {sizes},或减少池化层数。",
    ),
    "problem.out_of_range": (
        "{value} is out of range; choose a value from {minimum} to {maximum}.",
        "{value} 超出范围;请选择 {minimum} 到 {maximum} 之间的值。",
    ),
    "problem.bad_padding": (
        'padding "{value}" is unknown; use a number, (h, w), "valid" or "same".',
        '未知的填充方式 "{value}";请使用数字、(高, 宽)、"valid" 或 "same"。',
    ),
    "problem.same_with_stride": (
        'padding="same" only works with stride 1 (PyTorch rule); set stride to 1 or use a number for padding.',
        '填充方式 "same" 只能配合步幅 1 使用(PyTorch 的规定);请把步幅设为 1,或把填充设为具体数字。',
    ),
    "problem.groups_out": (
        "groups={groups} does not divide out_channels={out_channels}; choose groups that divides it.",
        "groups={groups} 不能整除 out_channels={out_channels};请选择能整除它的 groups。",
    ),
    "problem.pool_pad_half": (
        "padding {padding} is more than half the kernel {kernel}; use padding at most {kernel}//2.",
        "填充 {padding} 超过了核大小 {kernel} 的一半;填充最多为 {kernel}//2。",
    ),
    "problem.bad_activation": (
        "{value} is not a known activation; choose one of: {allowed}.",
        "{value} 不是已知的激活函数;请从以下选择:{allowed}。",
    ),
    "problem.bottleneck_channels": (
        "a bottleneck block needs out_channels divisible by 4 (it has {out_channels}); use a multiple of 4.",
        "瓶颈残差块要求 out_channels 能被 4 整除(现在是 {out_channels});请使用 4 的倍数。",
    ),
    "problem.bad_input_shape": (
        "input shape {value} must be three whole numbers (channels, height, width).",
        "输入形状 {value} 必须是三个整数(通道, 高, 宽)。",
    ),
}
