"""Strings of the steppers (convolution, pooling), the worked example and the practice page."""

MESSAGES: dict[str, tuple[str, str]] = {
    # Problems raised by cnnviz.lessons.samples / ops / exercises (rendered via Problem.text).
    "problem.step_bad_sample_kind": (
        'unknown sample kind "{value}"; choose one of: {allowed}.',
        '未知的示例类型 "{value}";请从以下选择:{allowed}。',
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
        "输出填充 output_padding = {output_padding} 必须小于步幅 {stride} 或膨胀率 {dilation}"
        "(PyTorch 的规定);请减小输出填充。",
    ),
    "problem.step_bad_pool_kind": (
        'unknown pooling "{value}"; use max or avg.',
        '未知的池化方式 "{value}";请使用 max 或 avg。',
    ),
    "problem.step_at_least": (
        "{value} is too small; use at least {minimum}.",
        "{value} 太小;至少为 {minimum}。",
    ),
    "problem.step_at_most": (
        "{value} is too large here; use at most {maximum}.",
        "{value} 在这里太大;最多为 {maximum}。",
    ),
    "problem.bad_conv_link": (
        "this convolution stepper link is damaged or was not made by this app, so it was not"
        " opened; copy the whole link again (the stepper keeps its current settings).",
        "这个卷积逐步演示链接已损坏或不是本应用生成的,因此没有打开;请重新复制完整的链接"
        "(逐步演示保持当前设置)。",
    ),
    "problem.step_bad_kernel": (
        'unknown kernel "{value}"; choose one of: {allowed}.',
        '未知的卷积核 "{value}";请从以下选择:{allowed}。',
    ),
    # Problems raised by the steppers' settings and requests (cnnviz.lessons.*_stepper)
    "problem.step_bad_choice": (
        '"{value}" is not offered here; choose one of: {allowed}.',
        '这里没有 "{value}" 这个选项;请从以下选择:{allowed}。',
    ),
    "problem.step_kernel_count": (
        "{count} kernel(s) were chosen for {filters} filter(s); choose one kernel per filter.",
        "为 {filters} 个卷积核选择了 {count} 种核;请为每个卷积核各选一种。",
    ),
    "problem.step_grad_shape": (
        "the upstream gradient is {got} but the pooled output is {expected}; give one value per"
        " output cell.",
        "上游梯度的形状是 {got},而池化输出是 {expected};请为每个输出格子给出一个数值。",
    ),
    "problem.step_request_format": (
        "a stepper request must be a dict with a layer and an input, not {value}; open the layer"
        " again from the Build page.",
        "逐步演示的请求必须是包含层和输入的字典,而不是 {value};请从“搭建 CNN”页面重新打开该层。",
    ),
    "problem.step_request_layer": (
        "this stepper cannot open a {value} layer; it opens {allowed} layers.",
        "这个逐步演示无法打开 {value} 层;它只能打开 {allowed} 层。",
    ),
    "problem.step_request_input": (
        "the input sent to the stepper ({value}) is not a (C, H, W) array of finite numbers; open"
        " the layer again from the Build page.",
        "发送给逐步演示的输入({value})不是由有限数值组成的 (C, H, W) 数组;"
        "请从“搭建 CNN”页面重新打开该层。",
    ),
    # Named kernels (cnnviz.lessons.kernels)
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
    # Figures (cnnviz.viz.conv, viz_pool, viz_grid)
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
    # Convolution stepper page (pages/conv/page.py)
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
    "conv.request_cropped_transposed": (
        "The feature map reaching this layer is {full}; the stepper shows its centre, {crop}"
        " (at most 3 channels and 4x4: inserting zeros and padding about doubles each side,"
        " and the grid must stay small enough to follow).",
        "到达这一层的特征图是 {full};这里显示它的中心部分 {crop}"
        "(最多 3 个通道、4x4:插入 0 并填充后每边约变为两倍,网格要小到能逐格看清)。",
    ),
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
        "`floor((n + 2p - k) / s) + 1`: the number of window positions that fit (with padding"
        " that differs before and after, `n + p_before + p_after` instead of `n + 2p`).",
        "`floor((n + 2p - k) / s) + 1`:也就是窗口能放下的位置个数(前后填充不同时,用"
        " `n + 前侧填充 + 后侧填充` 代替 `n + 2p`)。",
    ),
    "conv.transposed_formula_help": (
        "`(n-1)*s - 2p + k + output_padding`: transposed convolution grows the input instead of"
        " shrinking it.",
        "`(n-1)*s - 2p + k + 输出填充`:转置卷积让输入变大,而不是变小。",
    ),
    "conv.general_form": ("General form, with dilation", "一般形式(含膨胀率)"),
    "conv.general_help": (
        "`floor((n + p_before + p_after - d*(k-1) - 1) / s) + 1`: a kernel of size k with dilation"
        " d spans `d*(k-1) + 1` pixels; with d = 1 this is the formula above.",
        "`floor((n + 前侧填充 + 后侧填充 - d*(k-1) - 1) / s) + 1`:大小为 k、膨胀率为 d 的卷积核"
        "跨越 `d*(k-1) + 1` 个像素;d = 1 时就是上面的公式。",
    ),
    "conv.transposed_general_help": (
        "`(n-1)*s - 2p + d*(k-1) + output_padding + 1`: with dilation d = 1 this is the formula"
        " above.",
        "`(n-1)*s - 2p + d*(k-1) + 输出填充 + 1`:膨胀率 d = 1 时就是上面的公式。",
    ),
    "conv.quick_presets": ("Padding and stride", "填充与步幅"),
    "conv.quick_presets_help": (
        "p: zeros added on every side; s: how far the window moves each step. p=1, s=2 halves"
        " the size with a 3x3 kernel.",
        "p:每一边补的零;s:窗口每一步移动的距离。3x3 卷积核配 p=1, s=2 会把尺寸减半。",
    ),
    "conv.quick_kernel": ("Kernel", "卷积核"),
    "conv.quick_stride": ("Stride", "步幅"),
    "conv.quick_padding": ("Padding", "填充"),
    "conv.quick_padding_valid": ("p = 0 (valid)", "p = 0(valid)"),
    "conv.quick_padding_mixed": ("per side (sidebar)", "逐边(见侧栏)"),
    "conv.fix_same_padding": (
        "Pad p = {pads} explicitly, keep stride {stride}",
        "显式填充 p = {pads},保留步幅 {stride}",
    ),
    "conv.fix_same_padding_help": (
        'The same zeros "same" would add, written as numbers: PyTorch accepts them with any'
        " stride.",
        '与 "same" 补的零完全相同,只是写成具体数字:PyTorch 对任何步幅都接受。',
    ),
    "conv.fix_same_stride": ('Keep "same", back to stride 1', '保留 "same",步幅改回 1'),
    "conv.link_opened": (
        "Opened the convolution stepper from a shared link.",
        "已从分享链接打开卷积逐步演示。",
    ),
    "conv.share_title": ("**Share this step**", "**分享这一步**"),
    "conv.share_help": (
        "This link opens the stepper with these settings at this output cell (the address bar"
        " holds it too).",
        "这个链接会用这些设置打开逐步演示,并停在这个输出格子(浏览器地址栏里也是它)。",
    ),
    "conv.share_source_left": (
        "Typed or uploaded values and Build-page layers stay in this session: the link uses the"
        " source article's example input instead.",
        "手动输入或上传的数值、以及来自“搭建 CNN”页面的层只保存在本次会话中:链接改用原文的示例输入。",
    ),
    "conv.truncation": (
        "Floor truncation: {what} of the padded input are never covered by a window (tinted red"
        " in the figure); their values do not reach the output.",
        "向下取整的截断:填充后输入的{what}永远不会被窗口覆盖(图中红色区域),这些数值不会影响输出。",
    ),
    "conv.truncation_padding": (
        "They are zero padding only: no pixel of the input is lost.",
        "它们都只是补的 0(填充):输入的像素一个也没有丢失。",
    ),
    "conv.truncation_pixels": (
        "Some are real pixels, which are lost: change the stride or padding to use them.",
        "其中有真实像素,它们被丢弃了:修改步幅或填充可以让它们参与计算。",
    ),
    "conv.trunc_rows": ("the last {n} row(s)", "最后 {n} 行"),
    "conv.trunc_cols": ("the last {n} column(s)", "最后 {n} 列"),
    "conv.trunc_and": (" and ", "和"),
    "conv.receptive_field": (
        "**Receptive field**: each output value reads a {h}x{w} patch of the padded input"
        " (`dilation*(k-1)+1` = `{dh}*({kh}-1)+1` by `{dw}*({kw}-1)+1`).",
        "**感受野**:每个输出值读取填充后输入中 {h}x{w} 的区域"
        "(`膨胀率*(k-1)+1` = `{dh}*({kh}-1)+1` 乘 `{dw}*({kw}-1)+1`)。",
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
        "A transposed convolution puts (stride − 1) zeros between the input values, pads the result"
        " with dilation*(k-1) - padding zeros on each side (plus output_padding at the bottom and"
        " right), and then runs an ordinary stride-1 convolution with the kernel rotated by 180°"
        " and its input/output channels swapped. That is exactly what the stepper above shows:"
        " the amber cells are inserted zeros, the hatched cells are padding.",
        "转置卷积先在输入值之间插入(步幅-1)个 0,再在四周填充 膨胀率*(k-1) - 填充 个 0"
        "(下方和右侧再加上输出填充 output_padding),然后用旋转 180°、并交换输入/输出通道的卷积核"
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
    # Pooling stepper page (pages/pool/page.py)
    "pool.title": ("Pooling, step by step", "池化:一步一步算"),
    "pool.intro": (
        "Pooling slides a window over each channel and keeps one number per window: the largest"
        " (max pooling) or the mean (average pooling). It has no weights. Step through it, then"
        " see where the gradient goes on the way back.",
        "池化让窗口在每个通道上滑动,每个窗口只保留一个数:最大值(最大池化)或平均值(平均池化)。"
        "池化没有权重。先一步步看前向计算,再看反向传播时梯度流向哪里。",
    ),
    "pool.settings": ("Pooling settings", "池化设置"),
    "pool.kind": ("Pooling", "池化方式"),
    "pool.kind_max": ("Max", "最大池化"),
    "pool.kind_avg": ("Average", "平均池化"),
    "pool.channel": ("Channel to show", "显示的通道"),
    "pool.window": ("Window", "窗口"),
    "pool.backward": ("Backward pass", "反向传播"),
    "pool.grad_source": ("Upstream gradient dL/dy", "上游梯度 dL/dy"),
    "pool.grad_random_int": ("Random integers 1-9", "1-9 随机整数"),
    "pool.grad_ones": ("All ones", "全为 1"),
    "pool.grad_typed": ("Type the values", "手动输入数值"),
    "pool.typed_grad": ("Upstream gradient (edit the cells)", "上游梯度(直接编辑格子)"),
    "pool.grad_fallback": (
        "Using a gradient of ones until the cells above are fixed.",
        "在修正上面的格子之前,暂时使用全为 1 的梯度。",
    ),
    "pool.sum_title": (
        "**Output ({i}, {j})**: the window, pooled",
        "**输出 ({i}, {j})**:对窗口做池化",
    ),
    "pool.overlapping_note": (
        "The stride is smaller than the window, so neighbouring windows **overlap**: some input"
        " cells are read by several windows (see the comparison below).",
        "步幅小于窗口大小,所以相邻窗口会**重叠**:有些输入格子会被多个窗口读取(见下方的对比)。",
    ),
    "pool.padding_note_max": (
        "Max pooling pads with **-∞**, so a padding cell never wins (PyTorch's rule: padding at"
        " most half the window).",
        "最大池化用 **-∞** 填充,所以填充格子永远不会成为最大值(PyTorch 规定:填充最多为窗口的一半)。",
    ),
    "pool.padding_note_avg": (
        "Average pooling pads with **0** and divides by the full window size"
        " (`count_include_pad=True`, PyTorch's default), so the averages of windows that include"
        " zero padding are pulled toward 0.",
        "平均池化用 **0** 填充,并且除以完整的窗口大小(`count_include_pad=True`,PyTorch 的默认值),"
        "所以包含零填充的窗口,其平均值会被拉向 0。",
    ),
    "pool.backward_title": ("Where the gradient goes", "梯度流向哪里"),
    "pool.pass": ("Pass", "传播方向"),
    "pool.pass_forward": ("Forward", "前向"),
    "pool.pass_backward": ("Backward", "反向"),
    "pool.pass_help": (
        "Forward: the window and the pooled value. Backward: the same window, the upstream"
        " gradient dL/dy and where it lands in dL/dx. Back and Next step both.",
        "前向:窗口和池化结果。反向:同一个窗口、上游梯度 dL/dy,以及它落在 dL/dx 的哪里。"
        "“上一步”和“下一步”对两者都适用。",
    ),
    "pool.backward_rule_max": (
        "**Max pooling**: only the maximum of each window affected the output, so each upstream"
        " gradient goes entirely to that one cell (the arg-max); all other cells get 0. When"
        " windows overlap and pick the same cell, their gradients **add up**.",
        "**最大池化**:每个窗口中只有最大值影响了输出,所以每个上游梯度全部传给那一个格子"
        "(arg-max),其他格子得到 0。窗口重叠并选中同一个格子时,它们的梯度会**相加**。",
    ),
    "pool.backward_rule_avg": (
        "**Average pooling**: every cell of the window counted equally, so each upstream gradient"
        " is split equally, g / (kh·kw), over the window; overlapping windows add their shares.",
        "**平均池化**:窗口中每个格子的作用相同,所以每个上游梯度被平均分配,每格得到 g / (kh·kw);"
        "重叠的窗口会把各自的份额相加。",
    ),
    "pool.route_max": (
        "Output ({i}, {j}) receives gradient **{g}** and passes all of it to input cell ({r}, {c}),"
        " the maximum of its window.",
        "输出 ({i}, {j}) 收到梯度 **{g}**,并把它全部传给输入格子 ({r}, {c}),也就是窗口中的最大值。",
    ),
    "pool.route_avg": (
        "Output ({i}, {j}) receives gradient **{g}** and passes {g} / {n} = **{share}** to each of"
        " the {n} cells of its window.",
        "输出 ({i}, {j}) 收到梯度 **{g}**,给窗口中 {n} 个格子每格传 {g} / {n} = **{share}**。",
    ),
    "pool.autograd_ok": (
        "matches PyTorch autograd ✓ (the same input and upstream gradient, run through"
        " `F.max_pool2d` / `F.avg_pool2d` and `.backward()` just now)",
        "与 PyTorch 自动求导一致 ✓(刚刚用相同的输入和上游梯度,通过 `F.max_pool2d` / `F.avg_pool2d`"
        " 和 `.backward()` 算过)",
    ),
    "pool.autograd_bad": (
        "does not match PyTorch autograd: please report this.",
        "与 PyTorch 自动求导不一致:请报告这个问题。",
    ),
    "pool.seed002_note": (
        "Careful with ties and overlap: PyTorch sends the gradient to the **first** maximum of a"
        " window. A common hand-written version, `dx[window] = (window == max) * dout` (as in the"
        " code of the article {article}), sends it to **every** tied maximum and, with overlapping"
        " windows, overwrites instead of adding. The badge above compares with the real autograd.",
        "注意并列最大值和重叠窗口:PyTorch 把梯度只传给窗口中**第一个**最大值。常见的手写版本"
        " `dx[window] = (window == max) * dout`(例如文章{article}中的代码)会把梯度传给**所有**并列的"
        "最大值,而且在窗口重叠时是覆盖而不是相加。上面的标记是与真正的自动求导比较的结果。",
    ),
    "pool.compare_title": (
        "Overlapping (AlexNet 3x3, stride 2) vs non-overlapping 2x2 pooling",
        "重叠池化(AlexNet 的 3x3、步幅 2)与不重叠的 2x2 池化",
    ),
    "pool.compare_explain": (
        "The grids count how many windows read each input cell: 1 everywhere means the windows"
        " tile the input, 2 or 4 means overlap, 0 means the cell is dropped by floor truncation."
        " AlexNet (2012) used overlapping pooling and reported slightly lower error.",
        "格子中的数字表示每个输入格子被几个窗口读取:全是 1 表示窗口恰好铺满输入,2 或 4 表示重叠,"
        "0 表示该格子因向下取整被丢弃。AlexNet(2012)使用了重叠池化,并报告错误率略有下降。",
    ),
    "pool.compare_overlap": ("**Overlapping: {k}x{k}, stride {s}**", "**重叠:{k}x{k},步幅 {s}**"),
    "pool.compare_tiles": (
        "**Non-overlapping: {k}x{k}, stride {s}**",
        "**不重叠:{k}x{k},步幅 {s}**",
    ),
    "pool.coverage": ("Windows reading each input cell", "读取每个输入格子的窗口数"),
    "pool.coverage_summary": (
        "{overlap} input cells are read by more than one window; {unused} are never read.",
        "有 {overlap} 个输入格子被不止一个窗口读取;有 {unused} 个从未被读取。",
    ),
    "pool.gap_title": ("Global average pooling", "全局平均池化"),
    "pool.gap_explain": (
        "Global average pooling replaces the whole H×W map of each channel by its mean: one"
        " number per channel, whatever the input size. Modern networks (ResNet, MobileNet) use it"
        " instead of a large flatten + dense layer. For this channel:",
        "全局平均池化把每个通道整张 H×W 的特征图换成它的平均值:无论输入多大,每个通道只剩一个数。"
        "现代网络(ResNet、MobileNet)用它代替庞大的展平 + 全连接层。对当前通道:",
    ),
    # Worked example (pages/walkthrough.py, cnnviz.lessons.walkthrough)
    "walk.title": ("Worked example: a tiny CNN by hand", "完整算例:手算一个小型 CNN"),
    "walk.intro": (
        "A Chinese tutorial, {article}, pushes a 5x5 picture through conv → ReLU → max-pool"
        " → conv → ReLU → max-pool → flatten → dense → softmax by hand. Here every matrix is"
        " computed by the app (and checked against PyTorch), step by step, and the places where the"
        " article's arithmetic goes wrong are marked.",
        "一篇中文教程{article}手工计算一张 5x5 图片经过 卷积 → ReLU → 最大池化 → 卷积 → ReLU"
        " → 最大池化 → 展平 → 全连接 → softmax 的全过程。这里每个矩阵都由本应用计算(并与 PyTorch 核对),"
        "一步一步展示,并标出文章计算出错的地方。",
    ),
    "walk.summary": (
        "The article makes {count} arithmetic mistakes: {conv} values in its first pass over"
        " convolution 1 and a softmax with a negative probability. Its final feature map is right."
        " Each tab marks them; the last tab lists them all.",
        "文章共有 {count} 处计算错误:第一次手算卷积 1 时有 {conv} 个值算错,softmax 结果中出现了负概率。"
        "它最终给出的特征图是对的。各个标签页中都标出了错误,最后一个标签页汇总列出。",
    ),
    "walk.tab_input": ("1 · Input & padding", "1 · 输入与填充"),
    "walk.tab_conv1": ("2 · Conv 1 ⚠", "2 · 卷积 1 ⚠"),
    "walk.tab_pool1": ("3 · ReLU & max-pool", "3 · ReLU 与最大池化"),
    "walk.tab_conv2": ("4 · Conv 2 → pool 2", "4 · 卷积 2 → 池化 2"),
    "walk.tab_dense": ("5 · Flatten & dense", "5 · 展平与全连接"),
    "walk.tab_softmax": ("6 · Softmax ⚠", "6 · Softmax ⚠"),
    "walk.tab_mistakes": ("The article's mistakes", "文章中的错误"),
    "walk.input_text": (
        'The input is a 5x5 grey picture (one channel), a diamond of values 0..4. `padding="same"`'
        " with a 3x3 kernel adds one ring of zeros, so the output keeps the 5x5 size.",
        "输入是一张 5x5 的灰度图(单通道),数值 0..4 组成一个菱形。3x3 卷积核配合"
        ' `padding="same"` 会在四周补一圈 0,使输出保持 5x5。',
    ),
    "walk.shape": ("shape {shape}", "形状 {shape}"),
    "walk.conv1_text": (
        "The vertical-edge kernel subtracts the right column of each window from its left column:"
        " negative on the left side of the diamond, positive on the right. Cells outlined in red"
        " are those the article's first hand pass gets wrong (it read the wrong window values);"
        " pick a position to see the correct sum.",
        "垂直边缘卷积核用每个窗口的左列减去右列:菱形左侧为负,右侧为正。红框标出的格子是文章第一次"
        "手算时算错的位置(它读错了窗口中的数值);选择一个位置即可看到正确的求和过程。",
    ),
    "walk.kernel1": ("Kernel (vertical edge)", "卷积核(垂直边缘)"),
    "walk.kernel2": ("Kernel (horizontal edge)", "卷积核(水平边缘)"),
    "walk.wrong_in_article": ("wrong in the article's first pass", "文章第一次手算时算错"),
    "walk.check_position": ("**Check one position yourself**", "**自己核对一个位置**"),
    "walk.article_said": (
        "The article's first pass wrote {value} here; the correct value is {correct}.",
        "文章第一次手算时这里写的是 {value};正确值是 {correct}。",
    ),
    "walk.article_agrees": (
        "The article's first pass agrees: {value}.",
        "文章第一次手算的结果一致:{value}。",
    ),
    "walk.open_conv": (
        "Step through conv 1 in the convolution stepper",
        "在卷积逐步演示中查看卷积 1",
    ),
    "walk.label_conv1": ("Worked example, conv 1 (vertical edge)", "完整算例,卷积 1(垂直边缘)"),
    "walk.pool1_text": (
        "ReLU sets the negative values to 0. Max pooling 2x2 with stride 2 then keeps the largest"
        " value of each 2x2 block.",
        "ReLU 把负值置为 0。随后步幅为 2 的 2x2 最大池化保留每个 2x2 块中的最大值。",
    ),
    "walk.dropped": ("never pooled (floor)", "从未被池化(向下取整)"),
    "walk.dropped_text": (
        "5 is odd: floor((5 - 2) / 2) + 1 = 2 windows per axis, so the last {rows} row and column"
        " (outlined) are dropped, including the 7 at (2, 4), the largest value of the map. The"
        " article does not mention it; `ceil_mode=True` or padding would keep it.",
        "5 是奇数:每个方向只有 floor((5 - 2) / 2) + 1 = 2 个窗口,所以最后 {rows} 行和 1 列(红框)"
        "被丢弃,其中包括 (2, 4) 处的 7,也就是整张图的最大值。文章没有提到这一点;"
        "使用 `ceil_mode=True` 或填充可以保留它。",
    ),
    "walk.open_pool": (
        "Step through this pooling in the pooling stepper",
        "在池化逐步演示中查看这次池化",
    ),
    "walk.label_pool1": ("Worked example, max-pool 1", "完整算例,最大池化 1"),
    "walk.conv2_text": (
        "The 2x2 map is padded to 4x4 and convolved with the horizontal-edge kernel (top row minus"
        " bottom row), then ReLU and a last 2x2 max-pool leave a single number.",
        "2x2 的特征图先填充为 4x4,再与水平边缘卷积核(上一行减下一行)做卷积,然后经过 ReLU 和最后一次"
        " 2x2 最大池化,只剩下一个数。",
    ),
    "walk.dense_text": (
        "Flatten turns the 1x1 map into a vector of length 1. The dense layer has 3 neurons; the"
        " article's text gives their weights (1.176856, -0.25833628, 1.3403485) and zero biases"
        " (its code draws random weights instead, so we use the stated numbers).",
        "展平把 1x1 的特征图变成长度为 1 的向量。全连接层有 3 个神经元;文章正文给出了权重"
        "(1.176856、-0.25833628、1.3403485),偏置为 0(它的代码里用的是随机权重,所以这里采用正文中的数值)。",
    ),
    "walk.dense_params": ("parameters: {formula}", "参数量:{formula}"),
    "walk.col_neuron": ("neuron", "神经元"),
    "walk.col_weight": ("weight", "权重"),
    "walk.col_logit": ("output z", "输出 z"),
    "walk.softmax_text": (
        "Softmax turns the three outputs into probabilities: `p_k = exp(z_k) / Σ exp(z_j)`."
        " Subtracting the largest z first changes nothing mathematically and avoids overflow."
        " Every p_k is positive and they sum to 1.",
        "Softmax 把三个输出变成概率:`p_k = exp(z_k) / Σ exp(z_j)`。先减去最大的 z 在数学上不改变结果,"
        "还能避免溢出。每个 p_k 都是正数,总和为 1。",
    ),
    "walk.class_n": ("class {k}", "类别 {k}"),
    "walk.predicted": (
        "**Prediction**: class {k}, the largest probability.",
        "**预测**:类别 {k},概率最大。",
    ),
    "walk.checks_title": ("**Checks you can make**", "**你可以做的检查**"),
    "walk.mistakes_text": (
        "Everything the article gets wrong, next to the value the app computes (and PyTorch"
        " confirms).",
        "文章中所有算错的地方,以及本应用算出的正确值(已由 PyTorch 核对)。",
    ),
    "walk.col_step": ("step", "步骤"),
    "walk.col_where": ("where", "位置"),
    "walk.col_article": ("article says", "文章写的"),
    "walk.col_correct": ("correct", "正确值"),
    "walk.col_why": ("why", "原因"),
    "walk.mistake.window": (
        "wrong values read from the padded input for this window",
        "这个窗口从填充后的输入中读错了数值",
    ),
    "walk.mistake.softmax": (
        "a probability can never be negative: exp(z) > 0; the three values must be exp(z_k)/Σexp(z_j)",
        "概率不可能是负数:exp(z) > 0;三个值应当是 exp(z_k)/Σexp(z_j)",
    ),
    "walk.stage.input": ("Input", "输入"),
    "walk.stage.padded1": ("Padded input", "填充后的输入"),
    "walk.stage.conv1": ("Conv 1 output", "卷积 1 的输出"),
    "walk.stage.relu1": ("After ReLU", "ReLU 之后"),
    "walk.stage.pool1": ("Max-pool 1", "最大池化 1"),
    "walk.stage.padded2": ("Padded", "填充后"),
    "walk.stage.conv2": ("Conv 2", "卷积 2"),
    "walk.stage.relu2": ("ReLU", "ReLU"),
    "walk.stage.pool2": ("Max-pool 2", "最大池化 2"),
    "walk.stage.flat": ("Flattened", "展平"),
    "walk.stage.logits": ("Dense outputs", "全连接层输出"),
    "walk.stage.probabilities": ("Softmax probabilities", "Softmax 概率"),
    "walk.check.probs_positive": ("every probability is positive", "每个概率都是正数"),
    "walk.check.probs_sum": ("the probabilities sum to 1", "概率之和为 1"),
    "walk.check.order_kept": (
        "softmax keeps the order: the largest output has the largest probability",
        "softmax 保持顺序:最大的输出对应最大的概率",
    ),
    "walk.check.same_size": ("same padding keeps the 5x5 size", "same 填充保持 5x5 的尺寸"),
    "walk.check.article_probs_positive": (
        "the article's probabilities are all positive",
        "文章给出的概率都是正数",
    ),
    "walk.check.article_map_right": (
        "the article's final conv-1 map matches (wrong cells / 25)",
        "文章最终的卷积 1 特征图正确(错误格子数 / 25)",
    ),
    "walk.check.article_logits_right": (
        "the article's dense outputs match",
        "文章给出的全连接层输出正确",
    ),
    # Practice (pages/practice.py, cnnviz.lessons.exercises)
    "practice.title": ("Practice: conv arithmetic", "练习:卷积运算"),
    "practice.intro": (
        "Random exercises with instant feedback and the worked formula. The harder one asks you to"
        " choose padding and stride yourself: any choice that works is accepted.",
        "随机出题,立即反馈并给出完整公式。较难的一题要求你自己选择填充和步幅:任何可行的选择都算对。",
    ),
    "practice.kind": ("Exercise", "题型"),
    "practice.kind_conv_size": ("Conv output size", "卷积输出尺寸"),
    "practice.kind_pick_padding_stride": ("Pick padding & stride", "选择填充和步幅"),
    "practice.kind_pool_size": ("Pooling output size", "池化输出尺寸"),
    "practice.kind_conv_params": ("Parameter count", "参数量"),
    "practice.score": ("Score", "得分"),
    "practice.new": ("New exercise", "换一题"),
    "practice.exercise_n": ("Exercise {n}", "第 {n} 题"),
    "practice.prompt.conv_size": (
        "A {n}x{n} input goes through `nn.Conv2d(..., kernel_size={k}, stride={s}, padding={p},"
        " dilation={d})`. What is the output height (= width)?",
        "一个 {n}x{n} 的输入经过 `nn.Conv2d(..., kernel_size={k}, stride={s}, padding={p},"
        " dilation={d})`。输出的高(= 宽)是多少?",
    ),
    "practice.prompt.pick_padding_stride": (
        "A {n}x{n} input and a {k}x{k} kernel. Choose a padding and a stride that give a"
        " **{target}x{target}** output.",
        "输入为 {n}x{n},卷积核为 {k}x{k}。请选择填充和步幅,使输出为 **{target}x{target}**。",
    ),
    "practice.prompt.pool_size": (
        "A {n}x{n} feature map goes through `nn.MaxPool2d(kernel_size={k}, stride={s},"
        " padding={p})`. What is the output height (= width)?",
        "一个 {n}x{n} 的特征图经过 `nn.MaxPool2d(kernel_size={k}, stride={s}, padding={p})`。"
        "输出的高(= 宽)是多少?",
    ),
    "practice.prompt.conv_params": (
        "How many parameters does `nn.Conv2d({in_channels}, {out_channels}, kernel_size={k})`"
        " have, {bias}?",
        "`nn.Conv2d({in_channels}, {out_channels}, kernel_size={k})` 有多少个参数({bias})?",
    ),
    "practice.with_bias": ("with bias (the default)", "带偏置(默认)"),
    "practice.without_bias": ("with bias=False", "bias=False,不带偏置"),
    "practice.padding": ("Padding", "填充"),
    "practice.stride": ("Stride", "步幅"),
    "practice.answer": ("Your answer", "你的答案"),
    "practice.check": ("Check", "检查"),
    "practice.enter_answer": ("Type your answer first.", "请先输入答案。"),
    "practice.correct": ("Correct!", "正确!"),
    "practice.wrong": ("Not quite.", "不太对。"),
    "practice.try_again": (
        "Not quite. Try again: read the hint, change your answer and press Check.",
        "不太对。再试一次:看看提示,改一下答案,再按“检查”。",
    ),
    "practice.reveal": ("Show the solution", "显示答案"),
    "practice.your_choice": ("Your choice gives:", "你的选择得到:"),
    "practice.one_solution": ("One choice that works:", "一个可行的选择:"),
    "practice.worked": ("The worked formula:", "完整公式:"),
    "practice.hint_conv_size": (
        "Output = floor((n + 2p - d(k-1) - 1) / s) + 1: the number of window positions.",
        "输出 = floor((n + 2p - d(k-1) - 1) / s) + 1:也就是窗口位置的个数。",
    ),
    "practice.hint_pick_padding_stride": (
        "Try the stride first (it divides the size), then adjust the padding.",
        "先确定步幅(它决定尺寸缩小的倍数),再调整填充。",
    ),
    "practice.hint_pool_size": (
        "Pooling uses the conv formula: floor((n + 2p - k) / s) + 1.",
        "池化使用与卷积相同的公式:floor((n + 2p - k) / s) + 1。",
    ),
    "practice.hint_conv_params": (
        "Each filter has in_channels × k × k weights plus one bias.",
        "每个卷积核有 输入通道数 × k × k 个权重,外加一个偏置。",
    ),
    "walk.softmax_wrong": (
        "The article writes the probabilities as {article}: one is negative, which softmax can"
        " never produce (every exp(z) is positive). Its numbers are not exp(z_k)/Σexp(z_j) at"
        " all. The correct values are {correct}.",
        "文章写出的概率是 {article}:其中一个是负数,而 softmax 不可能得到负数(每个 exp(z) 都是正数)。"
        "这些数根本不是 exp(z_k)/Σexp(z_j)。正确的值是 {correct}。",
    ),
    "practice.positions_title": (
        "{count} window positions fit along this axis (one row each)",
        "沿这个方向能放下 {count} 个窗口位置(每行一个)",
    ),
    "practice.positions_caption": (
        "Each row is one position of the window along one axis; orange cells are the ones it reads."
        " The output size is the number of rows.",
        "每一行是窗口沿一个方向的一个位置;橙色格子是它读取的格子。输出尺寸就是行数。",
    ),
    "practice.too_big_to_draw": (
        "This axis is too long to draw cell by cell; the formula above says it all.",
        "这个方向太长,无法逐格画出;上面的公式已经说明了一切。",
    ),
    "practice.legend_read": ("cells the window reads", "窗口读取的格子"),
    "conv.request_layer_weights": (
        "The kernels are the layer's own weights in the Build page's seeded model, as initialised"
        " (the network is not trained here).",
        "卷积核使用“搭建 CNN”页面中固定种子模型里这一层自己的权重,即初始化时的值(这里的网络没有训练)。",
    ),
    "conv.request_channels_subset": (
        "Only the first channels are shown, so each value here adds up those channels only; the"
        " real layer also adds the contributions of the other channels.",
        "这里只显示前几个通道,所以每个值只是这些通道的和;真实的层还会加上其余通道的贡献。",
    ),
    "conv.request_filters_subset": (
        "Only the first {shown} of the layer's {total} filters (output channels) are shown; the"
        " others work the same way, each with its own kernels.",
        "这里只显示这一层 {total} 个卷积核(输出通道)中的前 {shown} 个;"
        "其余卷积核的计算方式相同,各自使用自己的权重。",
    ),
}
