"""Strings of the "Beyond classification" page: segmentation with a residual U-Net."""

MESSAGES: dict[str, tuple[str, str]] = {
    "beyond.error.loss": (
        "Unknown loss {value}: choose one of {allowed}.",
        "未知的损失函数 {value}:请从 {allowed} 中选择。",
    ),
    "beyond.error.range": (
        "{field} = {value} is out of range: use a value from {low} to {high}.",
        "{field} = {value} 超出范围:请使用 {low} 到 {high} 之间的值。",
    ),
}
