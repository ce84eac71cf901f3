"""Strings of the Train page's live panel: Start beside the learning, slow motion, the replay."""

MESSAGES: dict[str, tuple[str, str]] = {
    "live.empty": (
        "Press Start to train the network set up below: its loss, the probe image and the probe's feature maps appear here and move as it learns.",
        "按“开始”训练下面设置好的网络:它的损失、观察图像以及该图像的特征图会显示在这里,并随着学习而变化。",
    ),
    "live.summary": (
        "Start trains {net} on {data}: {epochs} epochs, {optimizer}, learning rate {lr}. The settings are below.",
        "“开始”会在{data}上训练 {net}:{epochs} 轮,{optimizer},学习率 {lr}。设置在下方。",
    ),
    "live.slow_motion": ("Slow motion", "慢动作"),
    "live.slow_motion_help": (
        "Waits a moment before every batch so the run lasts about a minute longer: time to point at what changes. The numbers are exactly those of a normal run with the same seed; only the waiting differs.",
        "每个批次之前稍等片刻,让这次训练多持续约一分钟:留出时间指给学生看哪里在变化。得到的数字与相同随机种子的正常训练完全一样,只是多了等待。",
    ),
    "live.slow_motion_on": (
        "Slow motion: {pace} s before each of the {batches} batches.",
        "慢动作:{batches} 个批次中的每一个之前等待 {pace} 秒。",
    ),
    "live.device_cpu": (
        "Training on: {device}. The server has {cores} CPU cores: {workers} runs train at the same time with {threads} thread(s) each; more runs wait their turn.",
        "训练设备:{device}。这台服务器有 {cores} 个 CPU 核心:可以同时训练 {workers} 个任务,每个使用 {threads} 个线程;其余任务排队等待。",
    ),
    "live.device_ray": (
        "Training on: the Ray cluster ({cpus} CPUs, {gpus} GPUs), shared by every app server. Each run is one Ray actor that asks for one CPU (and a share of a GPU when the cluster has one) and trains with {threads} thread(s); runs beyond the cluster's resources wait in the cluster's queue.",
        "训练设备:Ray 集群({cpus} 个 CPU,{gpus} 个 GPU),由所有应用服务器共用。每个任务是一个 Ray actor,申请 1 个 CPU(集群有 GPU 时再申请一部分 GPU),使用 {threads} 个线程训练;超出集群资源的任务在集群队列中等待。",
    ),
    "live.device_gpu": (
        "Training on: {device}. {workers} runs share the server's GPUs at the same time; more runs wait their turn.",
        "训练设备:{device}。{workers} 个任务同时共用这台服务器的 GPU;其余任务排队等待。",
    ),
    "live.probe": ("Probe image", "观察图像"),
    "live.progress": (
        "{status}: epoch {epoch}/{epochs}, step {step}/{total}{numbers} {eta}",
        "{status}:第 {epoch}/{epochs} 轮,第 {step}/{total} 步{numbers} {eta}",
    ),
    "live.progress_loss": (", loss {loss}", ",损失 {loss}"),
    "live.progress_acc": (", validation accuracy {acc}", ",验证准确率 {acc}"),
    "live.maps_title": ("{name}: {count} feature maps", "{name}:{count} 张特征图"),
    "live.scale": ("value", "数值"),
    "live.colours": (
        "Colours: blue is negative, white is 0, red is positive (one diverging scale); each picture has its own range, shown by its colour bar.",
        "颜色:蓝色为负,白色为 0,红色为正(同一种发散色标);每张图有自己的数值范围,见其色条。",
    ),
    "live.details_title": ("3. Watch it learn", "3. 观察学习过程"),
    "live.details_empty": (
        "After Start: the loss and accuracy of every epoch, every layer's feature maps, the first layer's filters and the gradients, updated while it trains.",
        "按“开始”之后:每一轮的损失和准确率、每一层的特征图、第一层的卷积核以及梯度,训练时持续更新。",
    ),
    "live.maps_caption": (
        "The probe image through every conv and pooling layer (first 16 channels) at step {step} (epoch {epoch}).",
        "观察图像经过每个卷积层和池化层后的输出(前 16 个通道),当前为第 {step} 步(第 {epoch} 轮)。",
    ),
    "live.replay": ("Replay: the network after epoch", "回放:第几轮之后的网络"),
    "live.replay_help": (
        "The feature maps were kept at the end of every epoch: drag to watch them form, epoch by epoch.",
        "每一轮结束时都保存了特征图:拖动滑块,逐轮观察它们是如何形成的。",
    ),
    "live.replay_start": ("0 (before training)", "0(训练前)"),
    "live.replay_caption": (
        "After epoch {epoch} (step {step}): validation accuracy {acc}, validation loss {loss}.",
        "第 {epoch} 轮之后(第 {step} 步):验证准确率 {acc},验证损失 {loss}。",
    ),
    "live.replay_untrained": (
        "Before training (step 0): the filters are random, and so are the feature maps.",
        "训练之前(第 0 步):卷积核是随机的,特征图也是。",
    ),
    "live.finished.operator_queued": (
        "The teacher stopped this run before it started.",
        "老师在这次训练开始之前停止了它。",
    ),
    "live.finished.operator": (
        "Stopped by the teacher after {seconds} s. The network keeps what it learned so far.",
        "老师在 {seconds} 秒后停止了这次训练。网络保留了到目前为止学到的内容。",
    ),
}
