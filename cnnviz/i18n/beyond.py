"""Strings of the "Beyond classification" page: segmentation with a residual U-Net."""

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- navigation and home
    "nav.beyond": ("Beyond classification", "超越分类"),
    "home.card.beyond": (
        "One label per pixel instead of one per image: a small residual U-Net learns to segment the shapes live, with IoU and Dice, cross-entropy versus Dice loss, and what the skip connections carry.",
        "不再是每张图一个标签,而是每个像素一个标签:一个小型残差 U-Net 实时学习分割形状,配有交并比(IoU)和 Dice 系数、交叉熵与 Dice 损失的对比,以及跳跃连接带来的细节。",
    ),
    # ---- page
    "beyond.title": (
        "Beyond classification: segmentation and transfer learning",
        "超越分类:语义分割与迁移学习",
    ),
    "beyond.intro": (
        "A classifier gives one label per image. A segmentation network gives one per pixel: here a small residual U-Net learns to colour each shape's pixels with its class, on shape images whose masks the generator draws exactly.",
        "分类网络为每张图像给出一个标签;分割网络为每个像素给出一个标签。这里一个小型残差 U-Net 学习把每个形状的像素标成它的类别,训练数据是形状图像,其掩码由生成器精确绘制。",
    ),
    "beyond.concepts.title": ("How does a U-Net segment?", "U-Net 是如何做分割的?"),
    "beyond.concepts.body": (
        "**Encoder**: residual blocks (two 3x3 convolutions plus a shortcut, as in ResNet) and 2x2 max-pooling make the maps smaller and deeper: the network learns *what* is in the image.\n\n"
        "**Decoder**: 2x2 transposed convolutions of stride 2 enlarge the maps back to the input size, so there is one score per class for every pixel.\n\n"
        "**Skip connections**: each decoder level concatenates (joins along the channels) the encoder map of the same size, which still knows *where* the edges are. Without them the masks come out blurred.\n\n"
        "**Metrics**: for each class, IoU = overlap / union of the true and predicted pixels, Dice = 2 x overlap / (true + predicted pixels). **Losses**: cross-entropy per pixel, soft Dice loss (1 - Dice computed on probabilities; it does not let the large background dominate), or both added.",
        "**编码器**:残差块(两个 3x3 卷积加一条捷径,与 ResNet 相同)和 2x2 最大池化让特征图变小、通道变多:网络学习图像里“是什么”。\n\n"
        "**解码器**:步幅为 2 的 2x2 转置卷积把特征图放大回输入尺寸,于是每个像素对每个类别都有一个得分。\n\n"
        "**跳跃连接**:解码器的每一层把编码器中同样大小的特征图拼接(沿通道方向连接)进来,它们仍然记得边缘“在哪里”。没有跳跃连接,预测的掩码会变得模糊。\n\n"
        "**评价指标**:对每个类别,交并比 IoU = 真实像素与预测像素的交集 / 并集,Dice 系数 = 2 x 交集 / (真实像素数 + 预测像素数)。**损失函数**:逐像素交叉熵、软 Dice 损失(用概率计算的 1 - Dice,不会让面积很大的背景占主导),或二者相加。",
    ),
    "beyond.data_note": (
        "Data: {train} training and {val} validation shape images ({size}x{size}, grey, a little noise), one shape each; the mask gives each pixel inside the shape its class and every other pixel the background.",
        "数据:{train} 张训练图像和 {val} 张验证图像({size}x{size},灰度,少量噪声),每张一个形状;掩码把形状内部的像素标为该形状的类别,其余像素标为背景。",
    ),
    # ---- settings
    "beyond.settings": ("Settings", "设置"),
    "beyond.loss": ("Loss", "损失函数"),
    "beyond.loss.ce": ("Cross-entropy", "交叉熵"),
    "beyond.loss.dice": ("Dice", "Dice 损失"),
    "beyond.loss.both": ("Cross-entropy + Dice", "交叉熵 + Dice"),
    "beyond.skips": ("Skip connections", "跳跃连接"),
    "beyond.skips_help": (
        "Off: the same network, same seed, without the concatenations; the decoder sees only the up-sampled maps. Train once with and once without them, then compare the two runs below.",
        "关闭:同一个网络、同一个随机种子,但去掉拼接;解码器只能看到上采样后的特征图。分别在打开和关闭跳跃连接时各训练一次,再在下方比较这两次训练。",
    ),
    "beyond.epochs": ("Epochs", "训练轮数"),
    "beyond.depth": ("Depth (max-pools)", "深度(最大池化层数)"),
    "beyond.depth_help": (
        "Each level halves the maps on the way down and doubles them on the way up. The deeper the U, the less the bottom knows where things are, and the more the skips matter: at the default depth 3 the bottom of a 32x32 image is only 4x4. At depth 2 the network manages almost as well without skips.",
        "每一层在下行时把特征图缩小一半,在上行时放大一倍。U 越深,最底层越不清楚物体“在哪里”,跳跃连接也就越重要:在默认的深度 3 下,32x32 的图像到最底层只剩 4x4。深度为 2 时,没有跳跃连接的网络也几乎一样好。",
    ),
    "beyond.run.depth": ("depth {depth}", "深度 {depth}"),
    "beyond.image_size": ("Image size (pixels)", "图像尺寸(像素)"),
    "beyond.image_size_help": (
        "The input must divide by the U-Net's total stride (2 per max-pool), or the maps at a concatenation do not match.",
        "输入尺寸必须能被 U-Net 的总步幅(每个最大池化为 2)整除,否则拼接处的特征图尺寸对不上。",
    ),
    # ---- network table
    "beyond.net.title": ("The network, layer by layer", "逐层查看网络"),
    "beyond.net.caption": (
        "{params} parameters. The maps shrink by 2 at each max-pool and grow by 2 at each transposed convolution; each concatenation joins maps of the same size.",
        "共 {params} 个参数。特征图每经过一次最大池化缩小一半,每经过一次转置卷积放大一倍;每个拼接层连接的是尺寸相同的特征图。",
    ),
    "beyond.col.layer": ("Layer", "层"),
    "beyond.col.kind": ("Type", "类型"),
    "beyond.col.input": ("Input (C, H, W)", "输入 (C, H, W)"),
    "beyond.col.output": ("Output (C, H, W)", "输出 (C, H, W)"),
    "beyond.col.params": ("Parameters", "参数量"),
    "beyond.col.skip": ("Joins", "拼接来源"),
    "beyond.kind.residual": ("Residual block", "残差块"),
    "beyond.kind.maxpool": ("Max-pool 2x2", "2x2 最大池化"),
    "beyond.kind.convtranspose": ("Transposed conv 2x2, stride 2", "2x2 转置卷积,步幅 2"),
    "beyond.kind.concat": ("Concatenation (skip)", "拼接(跳跃连接)"),
    "beyond.kind.conv1x1": ("1x1 convolution (class scores)", "1x1 卷积(类别得分)"),
    # ---- run controls and live panel
    "beyond.start": ("Start", "开始"),
    "beyond.pause": ("Pause", "暂停"),
    "beyond.resume": ("Resume", "继续"),
    "beyond.stop": ("Stop", "停止"),
    "beyond.busy": (
        "A run is still going: stop it before starting another.",
        "还有一次训练正在进行:请先停止它,再开始新的训练。",
    ),
    "beyond.empty": (
        "Press Start: the curves and the masks appear here as the U-Net learns.",
        "点击“开始”:U-Net 学习时,曲线和掩码会在这里出现。",
    ),
    "beyond.queued": (
        "Waiting for a free training slot (position {position} in the queue).",
        "正在等待空闲的训练名额(排队第 {position} 位)。",
    ),
    "beyond.progress": (
        "{run} · epoch {epoch} of {epochs} · step {step} of {total}",
        "{run} · 第 {epoch} / {epochs} 轮 · 第 {step} / {total} 步",
    ),
    "beyond.paused": ("Paused.", "已暂停。"),
    "beyond.finished": (
        "{run}: finished after {epochs} epochs in {seconds:.0f} s; validation mean IoU {iou:.3f}.",
        "{run}:训练了 {epochs} 轮,用时 {seconds:.0f} 秒;验证集平均 IoU 为 {iou:.3f}。",
    ),
    "beyond.stopped": (
        "{run}: stopped after {epochs} epochs; validation mean IoU {iou:.3f}.",
        "{run}:在第 {epochs} 轮停止;验证集平均 IoU 为 {iou:.3f}。",
    ),
    "beyond.failed": ("The run failed: {error}", "训练失败:{error}"),
    "beyond.metric.iou": ("Mean IoU", "平均 IoU"),
    "beyond.metric.dice": ("Mean Dice", "平均 Dice"),
    "beyond.metric.val_loss": ("Validation loss", "验证损失"),
    "beyond.images.title": ("Validation images", "验证图像"),
    "beyond.images.caption": (
        "After epoch {epoch}. Rows: input, true mask, predicted mask. Colours: {legend}.",
        "第 {epoch} 轮之后。各行依次为:输入、真实掩码、预测掩码。颜色:{legend}。",
    ),
    "beyond.colour.black": ("black", "黑色"),
    "beyond.colour.red": ("red", "红色"),
    "beyond.colour.blue": ("blue", "蓝色"),
    "beyond.colour.yellow": ("yellow", "黄色"),
    "beyond.colour.green": ("green", "绿色"),
    "beyond.colour.purple": ("purple", "紫色"),
    "beyond.colour.orange": ("orange", "橙色"),
    "beyond.class.background": ("background", "背景"),
    "beyond.class.circle": ("circle", "圆形"),
    "beyond.class.square": ("square", "正方形"),
    "beyond.class.triangle": ("triangle", "三角形"),
    "beyond.class.cross": ("cross", "十字"),
    "beyond.class.horizontal_line": ("horizontal line", "横线"),
    "beyond.class.vertical_line": ("vertical line", "竖线"),
    # ---- figures
    "beyond.plot.loss": ("Loss", "损失"),
    "beyond.plot.iou": ("Validation mean IoU", "验证集平均 IoU"),
    "beyond.plot.classes": (
        "IoU and Dice per class (epoch {epoch})",
        "各类别的 IoU 与 Dice(第 {epoch} 轮)",
    ),
    "beyond.legend.train": ("training", "训练"),
    "beyond.legend.val": ("validation", "验证"),
    "beyond.legend.batch": ("each batch", "每个批次"),
    "beyond.axis.epoch": ("epoch", "轮次"),
    "beyond.axis.loss": ("loss", "损失"),
    "beyond.axis.iou": ("mean IoU", "平均 IoU"),
    # ---- runs and comparison
    "beyond.run.name": ("Run {number}: {loss}, {skips}", "第 {number} 次:{loss},{skips}"),
    "beyond.run.skips_on": ("with skips", "有跳跃连接"),
    "beyond.run.skips_off": ("no skips", "无跳跃连接"),
    "beyond.compare.title": ("Compare runs", "比较多次训练"),
    "beyond.compare.caption": (
        "Same data and seed in every run: change one setting, run again and see the curves side by side. Start with the defaults, then turn **Skip connections** off and Start again: without skips the validation mean IoU stays clearly lower and the predicted masks come out blurred, with rounded corners and thick, blobby lines.",
        "每次训练都使用相同的数据和随机种子:只改一个设置,再训练一次,就能并排比较曲线。先用默认设置训练一次,再关闭**跳跃连接**后重新开始:没有跳跃连接时,验证集平均 IoU 明显更低,预测的掩码也变得模糊,角被磨圆,细线变得又粗又糊。",
    ),
    "beyond.compare.empty": (
        "Finished runs appear here; two or more are drawn on the same axes.",
        "训练结束后会出现在这里;两次及以上的训练会画在同一坐标系中。",
    ),
    "beyond.compare.pick": ("Runs to compare", "要比较的训练"),
    "beyond.compare.col.run": ("Run", "训练"),
    "beyond.compare.col.epochs": ("Epochs", "轮数"),
    "beyond.compare.col.iou": ("Mean IoU", "平均 IoU"),
    "beyond.compare.col.dice": ("Mean Dice", "平均 Dice"),
    "beyond.compare.col.seconds": ("Seconds", "秒"),
    "beyond.compare.clear": ("Clear the runs", "清空训练记录"),
    # ---- errors a student can act on
    "beyond.error.loss": (
        "Unknown loss {value}: choose one of {allowed}.",
        "未知的损失函数 {value}:请从 {allowed} 中选择。",
    ),
    "beyond.error.range": (
        "{field} = {value} is out of range: use a value from {low} to {high}.",
        "{field} = {value} 超出范围:请使用 {low} 到 {high} 之间的值。",
    ),
}
