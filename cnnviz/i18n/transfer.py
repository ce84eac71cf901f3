"""Strings of the "Transfer learning" section of the "Beyond classification" page."""

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- errors
    "transfer.error.bad_weights": (
        "The file {path} in the torch hub cache is not torchvision's ResNet-18 weights ({error}). Delete it, then on a machine with internet run `{command}` and copy the downloaded file to the same folder on this server.",
        "torch hub 缓存中的文件 {path} 不是 torchvision 的 ResNet-18 权重({error})。请删除它,然后在联网的机器上运行 `{command}`,再把下载的文件复制到本服务器的同一文件夹。",
    ),
    "transfer.error.one_class": (
        "The target set has {classes} class; a classifier needs at least two classes to tell apart. Choose a target with two or more classes.",
        "目标数据集只有 {classes} 个类别;分类器至少需要两个类别才能区分。请选择有两个或更多类别的目标数据集。",
    ),
    "transfer.error.mismatch": (
        "These layers cannot be transferred (their type or shape differs, or the source lacks them): {blocked}. These can: {copyable}. Make the target's layers match the source's, or transfer only the matching ones.",
        "以下层无法迁移(类型或形状不同,或源网络中没有):{blocked}。可以迁移的层:{copyable}。请让目标网络的层与源网络一致,或只迁移匹配的层。",
    ),
    "transfer.error.mode": (
        "Unknown transfer mode {value}; choose one of {allowed}.",
        "未知的迁移方式 {value};请从 {allowed} 中选择。",
    ),
    "transfer.error.range": (
        "{field} = {value} is out of range: choose a value from {low} to {high}.",
        "{field} = {value} 超出范围:请选择 {low} 到 {high} 之间的值。",
    ),
    "transfer.error.choice": (
        "{field} = {value} is not available; choose one of {allowed}.",
        "{field} = {value} 不可用;请从 {allowed} 中选择。",
    ),
    "transfer.error.too_few": (
        "Class {label} has only {have} images, fewer than the {k} labelled images per class asked for; choose a smaller number per class.",
        "类别 {label} 只有 {have} 张图像,少于所要求的每类 {k} 张带标签图像;请选择更小的每类数量。",
    ),
    "transfer.error.pretrained_target": (
        "The ImageNet ResNet-18 takes colour images: use it with the colour shapes target, not {target}.",
        "ImageNet 预训练的 ResNet-18 需要彩色图像:请配合彩色形状目标数据使用,而不是 {target}。",
    ),
    # ---- layer report
    "transfer.reason.head": (
        "new head: its outputs are the target's classes",
        "新的输出层:它的输出对应目标任务的类别",
    ),
    "transfer.reason.missing": ("the source has no layer of this name", "源网络中没有同名的层"),
    "transfer.reason.type": (
        "type differs: {source} in the source, {target} here",
        "类型不同:源网络中是 {source},这里是 {target}",
    ),
    "transfer.reason.shape": (
        "shape of {tensor} differs: {source} in the source, {target} here",
        "{tensor} 的形状不同:源网络中是 {source},这里是 {target}",
    ),
    "transfer.reason.scratch": ("from scratch: nothing is copied", "从零训练:不复制任何参数"),
    # ---- page section
    "transfer.tab": ("Transfer learning", "迁移学习"),
    "beyond.tab.segment": ("Segmentation", "语义分割"),
    "transfer.intro": (
        "Start from a network trained on another task instead of random weights. A source network learns a task with many labels; the same small network then learns the target task with only k labelled images per class, three ways, same seed: from scratch, with the source's features frozen and only a new head trained, and fine-tuning all of it with a smaller learning rate for the transferred layers.",
        "不从随机权重开始,而是从在另一个任务上训练好的网络开始。源网络先在标签充足的任务上学习;随后同一个小网络在目标任务上学习,每个类别只有 k 张带标签的图像,用同一个随机种子比较三种做法:从零训练、冻结源网络的特征只训练新的输出层、以及对整个网络微调(迁移过来的层使用较小的学习率)。",
    ),
    "transfer.source": ("Source task", "源任务"),
    "transfer.source.fashion-mnist": (
        "Fashion-MNIST (clothing, 28x28, 10 classes; trained here)",
        "Fashion-MNIST(服装,28x28,10 类;在此训练)",
    ),
    "transfer.source.shapes-32": (
        "Shapes at 32x32, other images (6 classes; trained here)",
        "32x32 的形状,另一批图像(6 类;在此训练)",
    ),
    "transfer.source.resnet18": (
        "ResNet-18 pretrained on ImageNet (from the torch hub cache)",
        "在 ImageNet 上预训练的 ResNet-18(来自 torch hub 缓存)",
    ),
    "transfer.source_note.fashion-mnist": (
        "Source: Fashion-MNIST from Debian's dataset-fashion-mnist, {samples} images, trained here once per server for {steps} steps and then reused.",
        "源任务:Debian 软件包 dataset-fashion-mnist 中的 Fashion-MNIST,{samples} 张图像;在本服务器上只训练一次({steps} 步),之后重复使用。",
    ),
    "transfer.source_note.shapes-32": (
        "Source: the built-in shapes at 32x32 drawn from another seed (Fashion-MNIST is not installed on this server), {samples} images, trained here once per server for {steps} steps and then reused.",
        "源任务:用另一个随机种子生成的 32x32 内置形状(本服务器未安装 Fashion-MNIST),{samples} 张图像;在本服务器上只训练一次({steps} 步),之后重复使用。",
    ),
    "transfer.source_note.resnet18": (
        "Source: torchvision's ResNet-18 with ImageNet weights, read from the torch hub cache (never downloaded); target: the colour shapes at 64x64. Slower: a ResNet-18 has 11 million parameters.",
        "源网络:torchvision 的 ResNet-18(ImageNet 权重),从 torch hub 缓存读取(从不下载);目标:64x64 的彩色形状。较慢:ResNet-18 有 1100 万个参数。",
    ),
    "transfer.target": ("Target task", "目标任务"),
    "transfer.target.shapes": ("Shapes at 28x28 (6 classes)", "28x28 的形状(6 类)"),
    "transfer.target.mnist": ("MNIST digits (10 classes)", "MNIST 手写数字(10 类)"),
    "transfer.per_class": ("Labelled images per class (k)", "每类带标签图像数(k)"),
    "transfer.per_class_help": (
        "The curves are drawn for this k; the sweep also runs k = 10, 50 and 200.",
        "曲线按这个 k 绘制;扫描实验还会运行 k = 10、50 和 200。",
    ),
    "transfer.threshold": ("Target accuracy", "目标准确率"),
    "transfer.pretrained.missing": (
        "Real pretrained weights: none are in this server's torch hub cache, and this app never downloads them. On a machine with internet, run\n\n`{command}`\n\nthen copy `{file}` from that machine's torch hub cache (`python -c \"import torch; print(torch.hub.get_dir())\"`, folder `checkpoints`) into the same folder on this server. ResNet-18 then appears as a source.",
        '真实的预训练权重:本服务器的 torch hub 缓存中没有,本应用也从不下载。请在能上网的机器上运行\n\n`{command}`\n\n然后把该机器 torch hub 缓存(`python -c "import torch; print(torch.hub.get_dir())"` 下的 `checkpoints` 文件夹)中的 `{file}` 复制到本服务器的同一文件夹。之后 ResNet-18 就会出现在源任务中。',
    ),
    "transfer.pretrained.present": (
        "Real pretrained weights found in the torch hub cache: {names}. They are offered as a source.",
        "在 torch hub 缓存中找到了真实的预训练权重:{names}。它们已作为源网络提供。",
    ),
    "transfer.start": ("Start comparison", "开始比较"),
    "transfer.stop": ("Stop comparison", "停止比较"),
    "transfer.busy": ("A run is already going: stop it first.", "已有一个训练在进行:请先停止它。"),
    "transfer.empty": (
        "Nothing has run yet. Start comparison: the source trains (or comes from the server's cache), then the three runs train and their curves appear here.",
        "尚未运行。开始比较后:先训练源网络(或从服务器缓存读取),然后三种做法依次训练,曲线会显示在这里。",
    ),
    "transfer.queued": (
        "Waiting for a free worker (position {position}).",
        "正在等待空闲的计算进程(第 {position} 位)。",
    ),
    "transfer.failed": ("The comparison failed: {error}", "比较失败:{error}"),
    "transfer.progress": ("Run {done} of {runs}", "第 {done} 次训练,共 {runs} 次"),
    "transfer.source_ready": (
        "Source network: validation accuracy {accuracy:.3f} on its own task ({how}).",
        "源网络:在它自己的任务上验证准确率为 {accuracy:.3f}({how})。",
    ),
    "transfer.source_pretrained": (
        "Source network: ResNet-18 with ImageNet weights from the torch hub cache.",
        "源网络:来自 torch hub 缓存、带 ImageNet 权重的 ResNet-18。",
    ),
    "transfer.source.cached": ("from this server's cache", "来自本服务器的缓存"),
    "transfer.source.trained": ("trained just now", "刚刚训练完成"),
    "transfer.finished": (
        "Comparison finished: {runs} runs in {seconds:.1f} s.",
        "比较完成:{runs} 次训练,用时 {seconds:.1f} 秒。",
    ),
    "transfer.stopped": (
        "Comparison stopped after {runs} runs ({seconds:.1f} s).",
        "比较已停止,完成了 {runs} 次训练({seconds:.1f} 秒)。",
    ),
    "transfer.mode.scratch": ("From scratch", "从零训练"),
    "transfer.mode.frozen": ("Frozen features + new head", "冻结特征 + 新输出层"),
    "transfer.mode.finetune": (
        "Fine-tuning (smaller LR for transferred layers)",
        "微调(迁移层用较小学习率)",
    ),
    "transfer.plot.curves": (
        "Validation accuracy with k = {k} labelled images per class",
        "每类 k = {k} 张带标签图像时的验证准确率",
    ),
    "transfer.plot.sweep": (
        "Accuracy reached with k labelled images per class",
        "每类 k 张带标签图像时达到的准确率",
    ),
    "transfer.plot.threshold": ("target {value:.2f}", "目标 {value:.2f}"),
    "transfer.axis.step": ("training step", "训练步数"),
    "transfer.axis.accuracy": ("validation accuracy", "验证准确率"),
    "transfer.axis.per_class": ("labelled images per class", "每类带标签图像数"),
    "transfer.sweep.title": ("How many labels does each approach need?", "每种做法需要多少标签?"),
    "transfer.sweep.col.mode": ("Approach", "做法"),
    "transfer.sweep.col.k": ("k = {k}", "k = {k}"),
    "transfer.sweep.col.needed": (
        "Labels per class to reach {value:.2f}",
        "达到 {value:.2f} 所需的每类标签数",
    ),
    "transfer.sweep.never": ("more than {k}", "多于 {k}"),
    "transfer.layers.title": ("Which layers transfer", "哪些层可以迁移"),
    "transfer.layers.col.layer": ("Layer", "层"),
    "transfer.layers.col.type": ("Type", "类型"),
    "transfer.layers.col.copied": ("Copied", "是否复制"),
    "transfer.layers.col.reason": ("Why not", "原因"),
    "transfer.layers.yes": ("yes", "是"),
    "transfer.layers.no": ("no", "否"),
    "transfer.layers.caption": (
        "Frozen: the copied layers keep the source's weights (requires_grad = False) and only the rest trains. Fine-tuning: the copied layers train too, at {ratio} x the learning rate.",
        "冻结:复制过来的层保持源网络的权重(requires_grad = False),只训练其余部分。微调:复制过来的层也参与训练,学习率为原来的 {ratio} 倍。",
    ),
}
