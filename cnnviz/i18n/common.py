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
    "device.cpu_cores": ("CPU ({cores} cores)", "CPU({cores} 个核心)"),
    "device.cpu_cores_one": ("CPU (1 core)", "CPU(1 个核心)"),
    "device.ray": (
        "Ray cluster ({cpus} CPUs, {gpus} GPUs)",
        "Ray 集群({cpus} 个 CPU,{gpus} 个 GPU)",
    ),
    "job.queued_cluster": (
        "Waiting for cluster resources: {pending} runs wait in the cluster (yours is number {position} from this server). It starts by itself.",
        "正在等待集群资源:集群中有 {pending} 个运行在排队(你的运行在本服务器排第 {position} 位)。轮到你时会自动开始。",
    ),
    "device.ray_fallback": (
        "{device}, local worker processes: the Ray cluster cannot be reached ({error})",
        "{device},本机工作进程:无法连接 Ray 集群({error})",
    ),
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
    "nav.section.concepts": ("Concepts", "概念"),
    # ---- background jobs (cnnviz.jobs): what a failed job tells its page ----
    "job.error.out_of_memory": (
        "The device ran out of memory. Use a smaller batch size or a smaller network.",
        "设备内存不足。请使用更小的批大小或更小的网络。",
    ),
    "job.error.unexpected": (
        "The run stopped because of an unexpected error ({error}). Your settings are kept; try again or change them.",
        "运行因意外错误而停止({error})。你的设置已保留;请重试或修改设置。",
    ),
    "job.error.worker_died": (
        "The worker process running this job stopped unexpectedly (exit code {code}): it was killed or ran out of memory. The server replaced it; start again, perhaps with a smaller network or batch.",
        "运行这个任务的工作进程意外终止(退出码 {code}):它被终止或内存不足。服务器已替换该进程;请重新开始,也可以换用更小的网络或批大小。",
    ),
    "job.error.actor_died": (
        "The cluster process (Ray actor) running this job stopped unexpectedly ({error}): it was killed, or its machine was lost. Other runs are not affected; start again.",
        "集群中运行这个任务的进程(Ray actor)意外终止({error}):它被终止,或所在机器失联。其他运行不受影响;请重新开始。",
    ),
    "job.error.cluster_lost": (
        "The Ray cluster stopped answering ({error}), so this run failed. The app keeps working; try again in a minute or ask your teacher to check the cluster.",
        "Ray 集群没有响应({error}),这次运行因此失败。应用仍可正常使用;请过一分钟再试,或请老师检查集群。",
    ),
    "job.error.cluster_unreachable": (
        "The Ray cluster cannot be reached ({error}); this run cannot start. Try again in a minute or ask your teacher to check the cluster.",
        "无法连接 Ray 集群({error}),这次运行无法开始。请过一分钟再试,或请老师检查集群。",
    ),
    "job.error.queue_full": (
        "The server is busy: {waiting} runs are already waiting. Try again in a minute.",
        "服务器正忙:已有 {waiting} 个运行在排队。请过一分钟再试。",
    ),
    "job.error.server_stopping": (
        "The server is shutting down; this run cannot start.",
        "服务器正在关闭,无法开始这次运行。",
    ),
}
