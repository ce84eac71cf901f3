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
    # Widget labels and help for the dataset and augmentation controls (pages may use these)
    "data.ui.dataset": ("Dataset", "数据集"),
    "data.ui.dataset_help": (
        "The built-in shapes are generated instantly from the seed; the real datasets are read from the data folder.",
        "内置几何图形由随机种子即时生成;真实数据集从数据文件夹中读取。",
    ),
    "data.ui.image_size": ("Image size (pixels)", "图片尺寸(像素)"),
    "data.ui.num_samples": ("Number of images", "图片数量"),
    "data.ui.noise": ("Pixel noise", "像素噪声"),
    "data.ui.noise_help": (
        "Standard deviation of the Gaussian noise added to every pixel (pixels range from 0 to 1).",
        "加到每个像素上的高斯噪声的标准差(像素取值范围为 0 到 1)。",
    ),
    "data.ui.label_noise": ("Label noise", "标签噪声"),
    "data.ui.label_noise_help": (
        "Fraction of training labels replaced by a wrong class. Validation labels stay correct, so you can watch the network memorise the mistakes.",
        "把这一比例的训练标签换成错误的类别。验证集标签保持正确,可以观察网络如何死记这些错误。",
    ),
    "data.ui.val_fraction": ("Validation fraction", "验证集比例"),
    "data.ui.val_fraction_help": (
        "Share of the images held out (same share of every class) to measure accuracy on images the network never trains on.",
        "留出这一比例的图片(每个类别比例相同),用来衡量网络在从未训练过的图片上的准确率。",
    ),
    "data.ui.train_size": ("Training images to use", "使用的训练图片数"),
    "data.ui.train_size_help": (
        "Train on only this many images (same share of every class). Fewer images make overfitting easy to see.",
        "只用这么多张图片训练(每个类别比例相同)。图片越少,越容易看到过拟合。",
    ),
    "data.ui.max_samples": ("At most this many images", "最多使用的图片数"),
    "data.ui.seed": ("Random seed", "随机种子"),
    "data.ui.data_dir": ("Data folder", "数据文件夹"),
    "data.ui.download": ("Download if missing", "缺失时下载"),
    "data.ui.upload": ("Zip of class folders", "按类别分文件夹的 zip"),
    "data.ui.upload_help": (
        "One folder per class, for example cat/1.png and dog/2.jpg; at most 1,000 images per class and 50 MB.",
        "每个类别一个文件夹,例如 cat/1.png 和 dog/2.jpg;每个类别最多 1000 张图片,文件不超过 50 MB。",
    ),
    "data.ui.augment": ("Data augmentation", "数据增强"),
    "data.ui.augment_help": (
        "Show the network a randomly shifted, rotated or flipped copy of each training image every epoch: more variety, less overfitting.",
        "每轮训练都给网络看每张训练图片经过随机平移、旋转或翻转后的版本:样本更多样,过拟合更少。",
    ),
    "data.ui.shift": ("Random shift (pixels)", "随机平移(像素)"),
    "data.ui.rotation": ("Random rotation (degrees)", "随机旋转(度)"),
    "data.ui.flip": ("Random horizontal flip", "随机水平翻转"),
    "data.ui.flip_help": (
        "Mirror half the images left to right. Right for photos; wrong for digits and letters, whose mirror image is another symbol.",
        "随机把一半图片左右镜像。适合照片;不适合数字和文字,因为它们的镜像是另一个符号。",
    ),
    "data.ui.color_jitter": ("Brightness and contrast jitter", "亮度与对比度抖动"),
    "data.ui.samples_title": ("Sample images", "样本图片"),
    "data.ui.augment_preview_title": (
        "One training image and 8 random augmentations",
        "一张训练图片及其 8 个随机增强版本",
    ),
    "data.ui.summary": (
        "{train} training and {val} validation images, {classes} classes, input {channels}×{height}×{width}",
        "{train} 张训练图片、{val} 张验证图片,{classes} 个类别,输入尺寸 {channels}×{height}×{width}",
    ),
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
    # Figures (cnnviz.viz.data)
    "data.viz.original": ("original", "原图"),
    "data.viz.augmented": ("augmented {number}", "增强 {number}"),
    # Notes attached to a bundle
    "data.note.train_size_capped": (
        "Asked for {wanted} training images, but only {used} are available: using all {used}.",
        "要求 {wanted} 张训练图片,但只有 {used} 张可用:已全部使用。",
    ),
    "data.note.resized": (
        "Images were converted to the network's input shape {shape}.",
        "图片已转换为网络的输入形状 {shape}。",
    ),
    "data.note.capped": (
        "Using a stratified sample of {used} of the {total} images (the cap keeps training quick).",
        "按类别分层抽取了 {total} 张图片中的 {used} 张(限制数量以保持训练速度)。",
    ),
    "data.note.test_split_only": (
        "Only the official test split of {dataset} was found: it is split into training and validation images.",
        "只找到了 {dataset} 的官方测试集:已将其划分为训练集和验证集。",
    ),
    "data.note.no_test_split": (
        "The official test split of {dataset} was not found: this run can report validation accuracy only.",
        "没有找到 {dataset} 的官方测试集:这次训练只能报告验证准确率。",
    ),
    "data.note.system_files": (
        "Using the dataset files found in {folder}.",
        "使用了在 {folder} 中找到的数据集文件。",
    ),
    "data.note.undecodable": (
        "Skipped {file}: it is not an image that can be read.",
        "已跳过 {file}:无法作为图片读取。",
    ),
    "data.note.ignored_file": (
        "Ignored {file}: only images inside a class folder are used (for example cat/1.png).",
        "已忽略 {file}:只使用类别文件夹中的图片(例如 cat/1.png)。",
    ),
    "data.note.class_dropped": (
        'Left out the class "{name}": it has only {count} readable image(s); each class needs at least 2.',
        "已舍弃类别“{name}”:其中只有 {count} 张可读图片,每个类别至少需要 2 张。",
    ),
    # Errors (DataError.key); pages show them with st.error(err.text(lang))
    "data.error.unknown_dataset": (
        'Unknown dataset "{name}". Choose one of: {names}.',
        "未知的数据集“{name}”。请从以下选项中选择:{names}。",
    ),
    "data.error.bad_image_size": (
        "Image size {value} is not offered: choose one of {sizes}.",
        "不支持图片尺寸 {value}:请从 {sizes} 中选择。",
    ),
    "data.error.bad_num_samples": (
        "Number of images must be between {minimum} and {maximum} (got {value}).",
        "图片数量必须在 {minimum} 到 {maximum} 之间(当前为 {value})。",
    ),
    "data.error.bad_noise": (
        "Pixel noise must be between 0 and 1 (got {value}).",
        "像素噪声必须在 0 到 1 之间(当前为 {value})。",
    ),
    "data.error.bad_val_fraction": (
        "The validation fraction must be greater than 0 and less than 1 (got {value}).",
        "验证集比例必须大于 0 且小于 1(当前为 {value})。",
    ),
    "data.error.bad_label_noise": (
        "Label noise must be between 0 and 1 (got {value}).",
        "标签噪声必须在 0 到 1 之间(当前为 {value})。",
    ),
    "data.error.bad_train_size": (
        "The number of training images must be at least 1 (got {value}).",
        "训练图片数量至少为 1(当前为 {value})。",
    ),
    "data.error.bad_max_samples": (
        "The image cap must be a whole number from 10 to {maximum} (got {value}).",
        "图片数量上限必须是 10 到 {maximum} 之间的整数(当前为 {value})。",
    ),
    "data.error.bad_seed": (
        "The random seed must be a whole number of 0 or more (got {value}).",
        "随机种子必须是大于或等于 0 的整数(当前为 {value})。",
    ),
    "data.error.too_much_memory": (
        "These images would need {needed_mb} MB of memory; the limit is {limit_mb} MB. Use fewer or smaller images.",
        "这些图片需要 {needed_mb} MB 内存,上限为 {limit_mb} MB。请减少图片数量或缩小尺寸。",
    ),
    "data.error.bad_input_shape": (
        "Cannot fit the images to the input shape {shape}: the network needs 1 (grey) or 3 (colour) input channels.",
        "无法把图片转换为输入形状 {shape}:网络的输入通道数必须是 1(灰度)或 3(彩色)。",
    ),
    "data.error.bad_augment": (
        "Augmentation setting {field} = {value} is out of range (shift and crop padding 0 to 16 pixels, rotation 0 to 180 degrees, colour jitter and PCA colour 0 to 1).",
        "数据增强参数 {field} = {value} 超出范围(平移和裁剪填充 0 到 16 像素,旋转 0 到 180 度,颜色抖动和 PCA 颜色 0 到 1)。",
    ),
    "data.error.ten_crop_needs_crops": (
        "Ten-crop evaluation takes its ten crops from the padded image: turn on random crops "
        "(padding above 0) first.",
        "十裁剪评估的十个裁剪块取自填充后的图像:请先开启随机裁剪(填充大于 0)。",
    ),
    "data.error.too_few_images": (
        "Only {count} images: too few to make both a training and a validation set. Add images or lower the validation fraction.",
        "只有 {count} 张图片,不足以同时划分训练集和验证集。请添加图片或调低验证集比例。",
    ),
    "data.error.corrupt_file": (
        "The file {file} is damaged or not in the expected format. Delete it and download it again.",
        "文件 {file} 已损坏或格式不符。请删除后重新下载。",
    ),
    "data.error.missing_offline": (
        '{dataset} is not on this computer. Put these files into the folder {folder}: {files}. Or tick "Download" if this server has internet access. {install}',
        "本机上没有 {dataset}。请把这些文件放进文件夹 {folder}:{files}。如果服务器可以联网,也可以勾选“下载”。{install}",
    ),
    "data.error.download_failed": (
        "Could not download {dataset} ({reason}). Without internet access, put these files into the folder {folder}: {files}. {install}",
        "无法下载 {dataset}({reason})。如果没有网络,请把这些文件放进文件夹 {folder}:{files}。{install}",
    ),
    "data.error.upload_missing": (
        "Upload a zip file of class folders first (for example cat/1.png, dog/2.jpg).",
        "请先上传一个按类别分文件夹的 zip 文件(例如 cat/1.png、dog/2.jpg)。",
    ),
    "data.error.upload_too_large": (
        "The zip file is {size_mb} MB; the limit is {limit_mb} MB. Use fewer or smaller images.",
        "zip 文件大小为 {size_mb} MB,上限为 {limit_mb} MB。请减少图片数量或缩小图片。",
    ),
    "data.error.upload_not_zip": (
        "This file is not a zip archive. Compress your class folders into a .zip file and upload that.",
        "该文件不是 zip 压缩包。请把各类别文件夹压缩成 .zip 文件后再上传。",
    ),
    "data.error.upload_encrypted": (
        "The zip is password-protected ({file} is encrypted), and cnnviz cannot read encrypted "
        "zips. Make the zip again without a password.",
        "这个 zip 设置了密码({file} 已加密),cnnviz 无法读取加密的 zip。请不设密码重新压缩。",
    ),
    "data.error.upload_bad_name": (
        'A file name in the zip ("{file}") is marked as UTF-8 but is not valid UTF-8: the zip '
        "tool wrote the name in another encoding. Rename the folder or file using plain letters "
        "and digits, or make the zip with another tool (for example 7-Zip), and upload it again.",
        "zip 中有一个文件名(“{file}”)标记为 UTF-8 编码,但实际上并不是有效的 UTF-8:"
        "压缩工具用别的编码写入了文件名。请把这个文件夹或文件改用字母和数字命名,"
        "或换一个压缩工具(例如 7-Zip)重新压缩后再上传。",
    ),
    "data.error.upload_too_many_files": (
        "The zip holds {count} entries; at most {limit} are allowed.",
        "zip 中有 {count} 个条目,最多允许 {limit} 个。",
    ),
    "data.error.upload_too_many_per_class": (
        'The class "{name}" has {count} images; at most {limit} per class are allowed.',
        "类别“{name}”有 {count} 张图片,每个类别最多允许 {limit} 张。",
    ),
    "data.error.upload_uncompressed_too_large": (
        "Unpacked, the zip would be larger than {limit_mb} MB. Upload smaller images.",
        "zip 解压后会超过 {limit_mb} MB。请上传更小的图片。",
    ),
    "data.error.upload_file_too_large": (
        "The file {file} is larger than {limit_mb} MB. Use smaller images.",
        "文件 {file} 超过 {limit_mb} MB。请使用更小的图片。",
    ),
    "data.error.upload_unsafe_path": (
        'Rejected the zip: the entry "{file}" points outside its folder (absolute path or ".."). Zip the class folders directly.',
        "已拒绝该 zip:条目“{file}”指向文件夹之外(绝对路径或“..”)。请直接压缩各类别文件夹。",
    ),
    "data.error.upload_symlink": (
        'Rejected the zip: "{file}" is a symbolic link. Zip the image files themselves.',
        "已拒绝该 zip:“{file}”是符号链接。请压缩图片文件本身。",
    ),
    "data.error.upload_need_two_classes": (
        "Found {found} usable class(es): a classifier needs at least 2 class folders with 2 or more readable images each.",
        "找到 {found} 个可用类别:分类器至少需要 2 个类别文件夹,且每个文件夹中至少有 2 张可读图片。",
    ),
    # ---- the one picture decoder (cnnviz.data.images) ----
    "data.image.empty": (
        "The file is empty. Choose a PNG or JPEG picture.",
        "文件是空的。请选择一张 PNG 或 JPEG 图片。",
    ),
    "data.image.too_big_bytes": (
        "This picture is {size_mb} MB; the limit is {limit_mb} MB. Choose a smaller file.",
        "这张图片有 {size_mb} MB,上限是 {limit_mb} MB。请选择更小的文件。",
    ),
    "data.image.too_big_pixels": (
        "This picture is {width}×{height} pixels; the limit is {limit} pixels. Choose a smaller picture.",
        "这张图片有 {width}×{height} 像素,上限是 {limit} 像素。请选择更小的图片。",
    ),
    "data.image.unreadable": (
        "This file could not be read as a picture ({reason}). Choose a PNG, JPEG, BMP, GIF or WebP file.",
        "无法把这个文件读取为图片({reason})。请选择 PNG、JPEG、BMP、GIF 或 WebP 文件。",
    ),
}
