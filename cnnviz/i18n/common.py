"""Strings shared by every page: the app shell, the sidebar, the home page."""

MESSAGES: dict[str, tuple[str, str]] = {
    "app.title": ("cnnviz: see how CNNs work", "cnnviz:看懂卷积神经网络"),
    # One label in both languages: a learner who cannot read the current one still finds the switch.
    "app.language": ("Language / 语言", "Language / 语言"),
    "app.device": ("Compute device", "计算设备"),
    "app.device_cpu_hint": (
        "No GPU found: everything runs on the CPU.",
        "未检测到 GPU:所有计算都在 CPU 上运行。",
    ),
    "device.cuda": ("CUDA: {name}", "CUDA:{name}"),
    "device.mps": ("Apple MPS (Metal)", "Apple MPS(Metal)"),
    "device.cpu": ("CPU ({threads} threads)", "CPU({threads} 个线程)"),
    "device.cpu_one": ("CPU (1 thread)", "CPU(1 个线程)"),
    "nav.home": ("Start here", "从这里开始"),
    "nav.build": ("Build a CNN", "搭建 CNN"),
    "nav.conv": ("Convolution stepper", "卷积逐步演示"),
    "nav.pool": ("Pooling stepper", "池化逐步演示"),
    "nav.walkthrough": ("Worked example", "完整算例"),
    "nav.practice": ("Practice", "练习"),
    "nav.train": ("Train live", "实时训练"),
    "nav.lab": ("Overfitting lab", "过拟合实验室"),
    "nav.section.learn": ("Learn", "学习"),
    "nav.section.arith": ("Arithmetic, step by step", "逐步运算"),
    "nav.section.train": ("Training", "训练"),
}
