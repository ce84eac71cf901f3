"""Strings of the operator's page (the teacher's view of the server)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "nav.admin": ("Server", "服务器"),
    "admin.title": ("The server", "服务器"),
    "admin.intro": (
        "Every training run of the class: who started it (a shortened session id), what it is doing, and what its worker process costs. Stop ends a run at its next batch; its student sees that the teacher stopped it.",
        "全班的每一次训练:谁启动的(缩短的会话编号)、正在做什么、它的工作进程占用多少资源。“停止”会在下一个批次时结束该训练;学生会看到是老师停止了它。",
    ),
    "admin.off": (
        "This page is switched off. The operator switches it on by starting the server with the environment variable CNNVIZ_ADMIN_SECRET set to a secret.",
        "此页面未启用。运维人员在启动服务器时设置环境变量 CNNVIZ_ADMIN_SECRET(一个密钥)即可启用。",
    ),
    "admin.secret": ("Operator secret", "运维密钥"),
    "admin.unlock": ("Open", "打开"),
    "admin.wrong": ("That is not the secret.", "密钥不正确。"),
    "admin.server": (
        "App process (pages, polling): CPU {cpu}, memory {memory}. Pool: {workers} worker processes, {threads} PyTorch thread(s) each; {running} running, {waiting} waiting (at most {queue}).",
        "应用进程(页面与轮询):CPU {cpu},内存 {memory}。进程池:{workers} 个工作进程,每个 {threads} 个 PyTorch 线程;{running} 个运行中,{waiting} 个排队中(最多 {queue} 个)。",
    ),
    "admin.threads": (
        "Training runs in threads of the app process (CNNVIZ_BACKEND=thread): {running} running, {waiting} waiting.",
        "训练在应用进程的线程中运行(CNNVIZ_BACKEND=thread):{running} 个运行中,{waiting} 个排队中。",
    ),
    "admin.none": ("No run is training or waiting.", "当前没有正在训练或排队的任务。"),
    "admin.col.owner": ("Session", "会话"),
    "admin.col.status": ("Status", "状态"),
    "admin.col.worker": ("Worker (pid)", "工作进程(pid)"),
    "admin.col.waiting": ("In line", "排队位置"),
    "admin.col.age": ("Age", "已运行"),
    "admin.col.cpu": ("CPU", "CPU"),
    "admin.col.memory": ("Memory", "内存"),
    "admin.stop": ("Stop", "停止"),
    "admin.stopped": ("Stop sent to session {owner}.", "已向会话 {owner} 发送停止指令。"),
    "admin.cpu_help": (
        "CPU in percent of one core since the previous refresh (every 2 s); 100 % is one core fully busy.",
        "自上次刷新(每 2 秒)以来的 CPU 占用,以一个核心的百分比表示;100% 表示一个核心满载。",
    ),
    "admin.seconds": ("{seconds} s", "{seconds} 秒"),
}
