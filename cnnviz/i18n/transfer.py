"""Strings of the "Transfer learning" section of the "Beyond classification" page."""

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- errors
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
}
