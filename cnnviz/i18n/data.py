"""Strings of the data area: dataset names, class names, progress, notes and data errors."""

MESSAGES: dict[str, tuple[str, str]] = {
    # Dataset names (for a selectbox's format_func: t(f"data.name.{name}", lang))
    "data.name.shapes": ("Shapes (built-in, grayscale)", "几何图形(内置,灰度)"),
    "data.name.shapes-color": ("Shapes (built-in, colour)", "几何图形(内置,彩色)"),
    "data.name.mnist": ("MNIST handwritten digits", "MNIST 手写数字"),
    "data.name.fashion-mnist": ("Fashion-MNIST clothing", "Fashion-MNIST 服饰"),
    "data.name.kmnist": ("KMNIST Japanese characters", "KMNIST 日文草书字符"),
    "data.name.cifar10": ("CIFAR-10 photos", "CIFAR-10 彩色照片"),
    "data.name.upload": ("Your own images (zip)", "你自己的图片(zip)"),
    # Shapes classes (order fixed: the labels of the built-in data and of the tiny preset)
    "data.class.circle": ("circle", "圆形"),
    "data.class.square": ("square", "正方形"),
    "data.class.triangle": ("triangle", "三角形"),
    "data.class.cross": ("cross", "十字"),
    "data.class.horizontal_line": ("horizontal line", "横线"),
    "data.class.vertical_line": ("vertical line", "竖线"),
    # Fashion-MNIST classes
    "data.class.tshirt_top": ("T-shirt/top", "T 恤/上衣"),
    "data.class.trouser": ("trouser", "裤子"),
    "data.class.pullover": ("pullover", "套头衫"),
    "data.class.dress": ("dress", "连衣裙"),
    "data.class.coat": ("coat", "外套"),
    "data.class.sandal": ("sandal", "凉鞋"),
    "data.class.shirt": ("shirt", "衬衫"),
    "data.class.sneaker": ("sneaker", "运动鞋"),
    "data.class.bag": ("bag", "包"),
    "data.class.ankle_boot": ("ankle boot", "短靴"),
    # CIFAR-10 classes
    "data.class.airplane": ("airplane", "飞机"),
    "data.class.automobile": ("automobile", "汽车"),
    "data.class.bird": ("bird", "鸟"),
    "data.class.cat": ("cat", "猫"),
    "data.class.deer": ("deer", "鹿"),
    "data.class.dog": ("dog", "狗"),
    "data.class.frog": ("frog", "青蛙"),
    "data.class.horse": ("horse", "马"),
    "data.class.ship": ("ship", "船"),
    "data.class.truck": ("truck", "卡车"),
    # Progress messages (progress(fraction, key))
    "data.progress.generating": ("Generating images…", "正在生成图片……"),
    "data.progress.reading": ("Reading files…", "正在读取文件……"),
    "data.progress.downloading": ("Downloading…", "正在下载……"),
    "data.progress.extracting": ("Unpacking the archive…", "正在解压……"),
    "data.progress.decoding": ("Decoding images…", "正在解码图片……"),
    "data.progress.done": ("Dataset ready.", "数据集已就绪。"),
    # Notes attached to a bundle
    "data.note.train_size_capped": (
        "Asked for {wanted} training images, but only {used} are available: using all {used}.",
        "要求 {wanted} 张训练图片,但只有 {used} 张可用:已全部使用。",
    ),
    "data.note.resized": (
        "Images were converted to the network's input shape {shape}.",
        "图片已转换为网络的输入形状 {shape}。",
    ),
}
