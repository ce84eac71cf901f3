"""Strings of the steppers (convolution, pooling), the worked example and the practice page."""

MESSAGES: dict[str, tuple[str, str]] = {
    # Problems raised by cnnviz.samples / ops / exercises (rendered via Problem.text).
    "problem.step_bad_sample_kind": (
        'unknown sample kind "{value}"; choose one of: {allowed}.',
        '未知的示例类型 "{value}";请从以下选择:{allowed}。',
    ),
    "problem.step_image_empty": (
        "the uploaded file is empty; upload a PNG or JPEG picture.",
        "上传的文件是空的;请上传一张 PNG 或 JPEG 图片。",
    ),
    "problem.step_image_too_big": (
        "the picture is too large ({pixels}; limit {limit}); upload a smaller picture.",
        "图片太大({pixels};上限 {limit});请上传一张更小的图片。",
    ),
    "problem.step_image_unreadable": (
        "this file could not be read as a picture ({reason}); upload a PNG or JPEG picture.",
        "无法把这个文件读取为图片({reason});请上传一张 PNG 或 JPEG 图片。",
    ),
    "problem.step_empty_output": (
        "no window fits: the padded input is {padded} but the (dilated) kernel spans {kernel}, so"
        " the output would be {out}. Make the kernel or dilation smaller, or add padding.",
        "没有任何窗口放得下:填充后的输入是 {padded},而(膨胀后的)卷积核跨度是 {kernel},"
        "输出会是 {out}。请减小卷积核或膨胀率,或者增加填充。",
    ),
    "problem.step_bad_shape": (
        "the input {x} and weights {w} do not fit together; the input must be (C, H, W).",
        "输入 {x} 与权重 {w} 的形状不匹配;输入必须是 (C, H, W)。",
    ),
    "problem.step_groups_mismatch": (
        "groups={groups} must divide both the input channels ({in_channels}) and the filters"
        " ({out_channels}); choose groups that divides both.",
        "groups={groups} 必须同时整除输入通道数({in_channels})和卷积核个数({out_channels});"
        "请选择能同时整除两者的 groups。",
    ),
    "problem.step_bad_position": (
        "position {position} is outside the output {shape}.",
        "位置 {position} 超出了输出 {shape} 的范围。",
    ),
    "problem.step_output_padding": (
        "output_padding {output_padding} must be smaller than the stride {stride} or the dilation"
        " {dilation} (PyTorch rule); lower output_padding.",
        "output_padding {output_padding} 必须小于步幅 {stride} 或膨胀率 {dilation}"
        "(PyTorch 的规定);请减小 output_padding。",
    ),
    "problem.step_bad_pool_kind": (
        'unknown pooling "{value}"; use max or avg.',
        '未知的池化方式 "{value}";请使用 max 或 avg。',
    ),
    "problem.step_at_least": (
        "{value} is too small; use at least {minimum}.",
        "{value} 太小;至少为 {minimum}。",
    ),
    "problem.step_bad_kernel": (
        'unknown kernel "{value}"; choose one of: {allowed}.',
        '未知的卷积核 "{value}";请从以下选择:{allowed}。',
    ),
    # Named kernels (cnnviz.kernels)
    "stepper.kernel.vertical_edge": ("Vertical edge", "垂直边缘"),
    "stepper.kernel.horizontal_edge": ("Horizontal edge", "水平边缘"),
    "stepper.kernel.sobel_x": ("Sobel x", "Sobel x(水平梯度)"),
    "stepper.kernel.sobel_y": ("Sobel y", "Sobel y(垂直梯度)"),
    "stepper.kernel.laplacian": ("Laplacian", "拉普拉斯"),
    "stepper.kernel.box_blur": ("Box blur", "均值模糊"),
    "stepper.kernel.gaussian_blur": ("Gaussian blur", "高斯模糊"),
    "stepper.kernel.sharpen": ("Sharpen", "锐化"),
    "stepper.kernel.identity": ("Identity", "恒等"),
    "stepper.kernel.random": ("Random integers (-2..2)", "随机整数(-2..2)"),
    "stepper.kernel.typed": ("Type the values", "手动输入数值"),
    "stepper.kernel_note.too_narrow": (
        "A kernel 1 column wide cannot compare left with right, so this edge detector is all zeros;"
        " make the kernel wider.",
        "只有 1 列宽的卷积核无法比较左右两侧,所以这个边缘检测核全为 0;请把卷积核加宽。",
    ),
    "stepper.kernel_note.too_flat": (
        "A kernel 1 row high cannot compare top with bottom, so this edge detector is all zeros;"
        " make the kernel taller.",
        "只有 1 行高的卷积核无法比较上下两侧,所以这个边缘检测核全为 0;请把卷积核加高。",
    ),
    "stepper.kernel_note.generalised": (
        "This kernel is classically 3x3; at this size the app uses the usual generalisation"
        " (Sobel: binomial smoothing times a central difference; Laplacian: every neighbour +1 and"
        " a centre that makes the sum 0; sharpen: 2 x identity minus a box blur).",
        "这个卷积核的经典尺寸是 3x3;在当前尺寸下使用常见的推广形式"
        "(Sobel:二项式平滑乘以中心差分;拉普拉斯:每个邻居为 +1,中心值使总和为 0;"
        "锐化:2 倍恒等核减去均值模糊)。",
    ),
    "stepper.kernel_note.no_centre": (
        "An even-sized kernel has no centre cell: the 1 sits just below/right of the middle, so the"
        " output is shifted by half a pixel. Odd sizes (3, 5, 7) avoid this.",
        "偶数尺寸的卷积核没有中心格:1 放在中间偏右下的位置,所以输出会偏移半个像素。"
        "使用奇数尺寸(3、5、7)可以避免这个问题。",
    ),
    "stepper.kernel_note.one_by_one": (
        "A 1x1 kernel has no neighbours, so this kernel only rescales each pixel.",
        "1x1 的卷积核没有邻居,所以它只会缩放每个像素。",
    ),
    # Figures (cnnviz.viz_stepper)
    "stepper.play_slow": ("▶ slow", "▶ 慢速"),
    "stepper.play": ("▶ play", "▶ 播放"),
    "stepper.play_fast": ("▶ fast", "▶ 快速"),
    "stepper.pause": ("⏸ pause", "⏸ 暂停"),
    "stepper.legend_padding": ("padding", "填充"),
    "stepper.legend_inserted": ("inserted zeros", "插入的 0"),
    "stepper.legend_unreached": ("no window reaches (floor)", "没有窗口覆盖(向下取整)"),
    "stepper.legend_window": ("current window", "当前窗口"),
    "stepper.hover_cell": (
        "row %{customdata[0]}, column %{customdata[1]}: %{text}",
        "第 %{customdata[0]} 行,第 %{customdata[1]} 列:%{text}",
    ),
    "stepper.hover_product": ("input × weight = %{text}", "输入 × 权重 = %{text}"),
    "stepper.input": ("input", "输入"),
    "stepper.kernel": ("Kernel", "卷积核"),
    "stepper.products": ("Products", "逐元素乘积"),
    "stepper.output": ("output", "输出"),
    "stepper.channel_n": ("(channel {c})", "(通道 {c})"),
    "stepper.padded_input": ("Padded input", "填充后的输入"),
    "stepper.output_of_filter": ("Output of filter {f}", "第 {f} 个卷积核的输出"),
    "pool.legend_winner": ("maximum (arg-max)", "最大值位置(arg-max)"),
    "pool.padded_input": ("Padded input (channel {c})", "填充后的输入(通道 {c})"),
    "pool.output": ("Pooled output", "池化输出"),
    "pool.upstream": ("Upstream gradient dL/dy", "上游梯度 dL/dy"),
    "pool.grad_input": ("Gradient reaching the input dL/dx", "传到输入的梯度 dL/dx"),
    "pool.legend_receives": ("cells that receive the current gradient", "接收当前梯度的格子"),
    "walk.probability": ("probability", "概率"),
    "problem.step_grid_shape": (
        "the grid is empty or its rows have different lengths; fill every row.",
        "表格是空的,或者各行长度不同;请把每一行都填满。",
    ),
    "problem.step_grid_cells": (
        "{count} cell(s) are not numbers: {cells}. Type a number such as 2, -1 or 0.5 in each;"
        " the stepper keeps the last valid values meanwhile.",
        "有 {count} 个格子不是数字:{cells}。请在每个格子中输入数字,例如 2、-1 或 0.5;"
        "在此期间逐步演示保留上一次有效的数值。",
    ),
    "problem.step_bad_exercise": (
        'unknown exercise "{value}"; choose one of: {allowed}.',
        '未知的练习类型 "{value}";请从以下选择:{allowed}。',
    ),
    # Convolution stepper page (pages/conv.py)
    "conv.title": ("Convolution, step by step", "卷积:一步一步算"),
    "conv.intro": (
        "Pick an input and a kernel, then walk the window over the input one output value at a time:"
        " every multiplication is shown, summed up and written into the output. Click any output"
        " cell to jump there, or press play.",
        "选择输入和卷积核,然后让窗口在输入上滑动,一次计算一个输出值:每一次乘法都会显示出来,"
        "相加后写入输出。点击任意输出格子可以直接跳过去,也可以按“播放”。",
    ),
    "conv.settings": ("Convolution settings", "卷积设置"),
    "conv.mode": ("Operation", "运算"),
    "conv.mode_normal": ("Conv2d", "Conv2d(普通卷积)"),
    "conv.mode_transposed": ("ConvTranspose2d", "ConvTranspose2d(转置卷积)"),
    "conv.source": ("Input values", "输入数值"),
    "conv.source_seed003": ("5x5 example (worked example)", "5x5 示例(完整算例)"),
    "conv.source_random_int": ("Random integers 0-9", "0-9 随机整数"),
    "conv.source_digit": ("A handwritten-style digit", "手写风格数字"),
    "conv.source_upload": ("Your picture (upload)", "你的图片(上传)"),
    "conv.source_typed": ("Type the values", "手动输入数值"),
    "conv.source_request": ("From the Build page", "来自“搭建 CNN”页面"),
    "conv.height": ("Height", "高"),
    "conv.width": ("Width", "宽"),
    "conv.channels": ("Channels", "通道数"),
    "conv.seed": ("Random seed", "随机种子"),
    "conv.upload": ("Picture (PNG or JPEG)", "图片(PNG 或 JPEG)"),
    "conv.upload_first": (
        "Upload a picture in the sidebar; it is cropped to the centre and scaled to the input size.",
        "请在侧边栏上传一张图片;图片会裁剪中心部分并缩放到输入尺寸。",
    ),
    "conv.kernel_settings": ("Kernels", "卷积核"),
    "conv.filters": ("Filters", "卷积核个数"),
    "conv.kernel_h": ("Kernel h", "核高"),
    "conv.kernel_w": ("Kernel w", "核宽"),
    "conv.kernel_of": ("Kernel of filter {f}", "第 {f} 个卷积核"),
    "conv.geometry": ("Stride, padding, dilation", "步幅、填充、膨胀"),
    "conv.stride_h": ("Stride h", "纵向步幅"),
    "conv.stride_w": ("Stride w", "横向步幅"),
    "conv.padding": ("Padding", "填充"),
    "conv.padding_valid": ("valid (none)", "valid(不填充)"),
    "conv.padding_same": ("same", "same"),
    "conv.padding_explicit": ("per side", "逐边设置"),
    "conv.pad_top": ("Top", "上"),
    "conv.pad_bottom": ("Bottom", "下"),
    "conv.pad_left": ("Left", "左"),
    "conv.pad_right": ("Right", "右"),
    "conv.pad_h": ("Padding h", "纵向填充"),
    "conv.pad_w": ("Padding w", "横向填充"),
    "conv.output_padding_h": ("Output padding h", "纵向输出填充"),
    "conv.output_padding_w": ("Output padding w", "横向输出填充"),
    "conv.dilation_h": ("Dilation h", "纵向膨胀"),
    "conv.dilation_w": ("Dilation w", "横向膨胀"),
    "conv.groups": ("Groups", "分组数"),
    "conv.groups_help": (
        "groups=g splits the channels into g groups; each filter only sees the channels of its"
        " group. groups = channels = filters is a depthwise convolution.",
        "groups=g 把通道分成 g 组;每个卷积核只看自己那一组的通道。"
        "groups = 通道数 = 卷积核个数时就是深度可分离卷积中的逐通道卷积。",
    ),
    "conv.bias": ("Bias", "偏置"),
    "conv.bias_value": ("Bias value", "偏置值"),
    "conv.flip": ("Flip the kernel (true convolution)", "翻转卷积核(数学意义上的卷积)"),
    "conv.flip_help": (
        "PyTorch and Keras compute cross-correlation. Tick this to compute the textbook"
        " convolution, which first rotates the kernel by 180°.",
        "PyTorch 和 Keras 计算的是互相关。勾选后计算教科书上的卷积,它会先把卷积核旋转 180°。",
    ),
    "conv.from_build": ("Opened from the Build page: {label}", "从“搭建 CNN”页面打开:{label}"),
    "conv.request_cropped": (
        "The feature map reaching this layer is {full}; the stepper shows its centre, {crop}"
        " (at most 3 channels and 32x32, so every number stays readable).",
        "到达这一层的特征图是 {full};这里显示它的中心部分 {crop}"
        "(最多 3 个通道、32x32,保证每个数字都看得清)。",
    ),
    "conv.request_random_weights": (
        "The network on the Build page is untrained, so its kernels here are seeded random"
        " integers from -2 to 2: the arithmetic is the real one, the weights are not learned.",
        "“搭建 CNN”页面上的网络尚未训练,所以这里的卷积核是固定种子生成的 -2 到 2 的随机整数:"
        "运算过程是真实的,但权重不是学出来的。",
    ),
    "stepper.request_groups_dropped": (
        "The layer uses groups, which do not divide the channels shown here; the stepper uses"
        " groups=1.",
        "该层使用了分组卷积,但这里显示的通道数不能被分组数整除;逐步演示改用 groups=1。",
    ),
    "conv.request_bad": (
        "The Build page sent a layer the stepper cannot open; showing your last settings.",
        "“搭建 CNN”页面发送的层无法在这里打开;继续显示你上一次的设置。",
    ),
    "conv.typed_input": ("Input values (edit the cells)", "输入数值(直接编辑格子)"),
    "conv.typed_kernels": ("Kernel values (edit the cells)", "卷积核数值(直接编辑格子)"),
    "conv.typed_help": (
        "Click a cell and type a number (2, -1, 0.5). A cell that is not a number is reported and"
        " the stepper keeps the last valid values.",
        "点击格子并输入数字(如 2、-1、0.5)。不是数字的格子会被指出,逐步演示继续使用上一次的有效数值。",
    ),
    "conv.channel_label": ("**Channel {c}**", "**通道 {c}**"),
    "conv.kernel_channel_label": ("**Filter {f}, channel {c}**", "**卷积核 {f},通道 {c}**"),
    "conv.kept_last_valid": (
        "Showing the last valid settings until the problem above is fixed.",
        "在修正上面的问题之前,继续显示上一次的有效设置。",
    ),
    "conv.filter_to_step": ("Filter to step", "逐步演示的卷积核"),
    "conv.prev": ("◀ Back", "◀ 上一步"),
    "conv.next": ("Next ▶", "下一步 ▶"),
    "conv.position": ("Output position (row, column)", "输出位置(行, 列)"),
    "conv.figure_help": (
        "Click an output cell to jump to it. The play buttons animate the sweep in your browser;"
        " Back / Next and the slider explain one position in full.",
        "点击输出格子即可跳到该位置。播放按钮在浏览器里演示整个滑动过程;"
        "“上一步/下一步”和滑块会完整解释某一个位置。",
    ),
    "conv.sum_title": (
        "**Output ({i}, {j}) of filter {f}**: the window times the kernel, added up",
        "**第 {f} 个卷积核的输出 ({i}, {j})**:窗口与卷积核逐元素相乘,再相加",
    ),
    "conv.word_channel": ("channel", "通道"),
    "conv.word_bias": ("bias", "偏置"),
    "conv.word_total": ("total", "总和"),
    "conv.formula_title": ("Output size, with your numbers", "输出尺寸(代入你的数值)"),
    "conv.formula_help": (
        "floor((n + padding before + padding after - dilation*(k-1) - 1) / stride) + 1:"
        " the number of window positions that fit.",
        "floor((n + 前侧填充 + 后侧填充 - 膨胀率*(k-1) - 1) / 步幅) + 1:也就是窗口能放下的位置个数。",
    ),
    "conv.transposed_formula_help": (
        "(n-1)*stride - 2*padding + dilation*(k-1) + output_padding + 1: transposed convolution"
        " grows the input instead of shrinking it.",
        "(n-1)*步幅 - 2*填充 + 膨胀率*(k-1) + 输出填充 + 1:转置卷积让输入变大,而不是变小。",
    ),
    "conv.truncation": (
        "Floor truncation: the last {rows} row(s) and {cols} column(s) of the padded input are"
        " never covered by a window (tinted red in the figure); their values do not reach the"
        " output. Change the stride or padding to use them.",
        "向下取整的截断:填充后输入的最后 {rows} 行和 {cols} 列永远不会被窗口覆盖(图中红色区域),"
        "这些数值不会影响输出。修改步幅或填充可以让它们参与计算。",
    ),
    "conv.receptive_field": (
        "**Receptive field**: each output value reads a {h}x{w} patch of the padded input"
        " (dilation*(k-1)+1 = {dh}*({kh}-1)+1 by {dw}*({kw}-1)+1).",
        "**感受野**:每个输出值读取填充后输入中 {h}x{w} 的区域"
        "(膨胀率*(k-1)+1 = {dh}*({kh}-1)+1 乘 {dw}*({kw}-1)+1)。",
    ),
    "conv.params": (
        "**Parameters**: `{formula}` · **multiply-adds**: {mult_adds}",
        "**参数量**:`{formula}` · **乘加次数**:{mult_adds}",
    ),
    "conv.code_title": ("**The same layer in PyTorch**", "**PyTorch 中对应的层**"),
    "conv.flip_code_comment": (
        "true convolution = cross-correlation with the kernel rotated by 180°",
        "数学卷积 = 与旋转 180° 后的卷积核做互相关",
    ),
    "conv.all_outputs": ("One output channel per filter", "每个卷积核输出一个通道"),
    "conv.filter_n": ("filter {f}", "卷积核 {f}"),
    "conv.montage_more": (
        "Showing {shown} of {total} filters around the one you step.",
        "显示 {total} 个卷积核中、你正在演示的那个附近的 {shown} 个。",
    ),
    "conv.xcorr_title": ("Cross-correlation or convolution?", "互相关还是卷积?"),
    "conv.xcorr_explain": (
        "Deep-learning libraries slide the kernel over the input **as it is** and multiply:"
        " mathematically that is a *cross-correlation*. The textbook *convolution* first rotates"
        " the kernel by 180° (flips it up-down and left-right).\n\n"
        "For a learned kernel the difference does not matter: the network simply learns the"
        " rotated kernel. For a hand-made kernel it does: a Sobel kernel flipped gives the same"
        " edges with the opposite sign. Tick *Flip the kernel* in the sidebar and watch the"
        " kernel and the output change.",
        "深度学习框架让卷积核**保持原样**在输入上滑动并相乘:数学上这叫*互相关*。"
        "教科书中的*卷积*会先把卷积核旋转 180°(上下、左右各翻转一次)。\n\n"
        "对于学习得到的卷积核,这个区别无关紧要:网络会直接学出旋转后的核。"
        "但对于手工设计的卷积核就有区别:翻转后的 Sobel 核检测到同样的边缘,只是符号相反。"
        "勾选侧边栏中的“翻转卷积核”,观察卷积核和输出的变化。",
    ),
    "conv.dilation_title": ("What does dilation do?", "膨胀(空洞)卷积做了什么?"),
    "conv.dilation_explain": (
        "With dilation d the kernel reads every d-th cell: a 3x3 kernel with d=2 spans 5x5 cells"
        " but still has 9 weights. The small boxes inside the orange window show the cells it"
        " actually reads. Dilation grows the receptive field without adding parameters.",
        "膨胀率为 d 时,卷积核每隔 d 个格子读取一次:d=2 的 3x3 卷积核覆盖 5x5 的范围,"
        "但仍然只有 9 个权重。橙色窗口里的小方框就是真正被读取的格子。"
        "膨胀可以在不增加参数的情况下扩大感受野。",
    ),
    "conv.transposed_title": (
        "Transposed convolution = zero insertion + a normal convolution",
        "转置卷积 = 插入 0 + 普通卷积",
    ),
    "conv.transposed_explain": (
        "A transposed convolution puts stride-1 zeros between the input values, pads the result"
        " with dilation*(k-1) - padding zeros on each side (plus output_padding at the bottom and"
        " right), and then runs an ordinary stride-1 convolution with the kernel rotated by 180°"
        " and its input/output channels swapped. That is exactly what the stepper above shows:"
        " the amber cells are inserted zeros, the hatched cells are padding.",
        "转置卷积先在输入值之间插入(步幅-1)个 0,再在四周填充 膨胀率*(k-1) - 填充 个 0"
        "(下方和右侧再加上 output_padding),然后用旋转 180°、并交换输入/输出通道的卷积核"
        "做一次步幅为 1 的普通卷积。上面的逐步演示展示的正是这个过程:琥珀色格子是插入的 0,"
        "斜线格子是填充。",
    ),
    "conv.zero_inserted": ("after zero insertion", "插入 0 之后"),
    "conv.full_padding": ("padding per side", "每侧填充"),
    "conv.original_input": ("Input (channel {c})", "输入(通道 {c})"),
    "conv.zero_inserted_padded": (
        "Zero-inserted and padded (channel {c})",
        "插入 0 并填充之后(通道 {c})",
    ),
}
