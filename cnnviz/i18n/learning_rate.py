"""Strings of the Learning rate page (pages/learning_rate, cnnviz.concepts schedules, lr_range,
batch_size, cnnviz.viz learning_rate)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- navigation and the home page ----
    "nav.learning_rate": ("Learning rate & batch size", "学习率与批大小"),
    "home.card.learning_rate": (
        "Every schedule of the Train page drawn, then used on the same small CNN (the runs join "
        "the lab's comparison); Smith's LR range test with a suggested range and a button that "
        "sends the rate to the Train page; batch sizes 1 to the full batch: gradient noise, "
        "time per epoch, loss against epochs and against seconds.",
        "训练页面的每种调度先画出来,再用在同一个小型 CNN 上(训练记录可在实验室中比较);Smith 的学习率范围测试,"
        "给出建议范围,一键把学习率送到训练页面;批大小从 1 到全批量:梯度噪声、每轮用时、损失随轮数和随时间的变化。",
    ),
    # ---- the page ----
    "lrate.title": ("Learning rate and batch size", "学习率与批大小"),
    "lrate.intro": (
        "The article 「深度学习之卷积神经网络(Convolutional Neural Networks, CNN)」 describes the "
        "learning rate as how fast gradient descent moves towards the minimum of the loss, lists "
        "the values people usually try (from about 1e-5 to 10, each roughly three times the "
        "last) and four ways to change it during training: fixed, step, multistep and poly. It trains with mini-batch SGD: sample a "
        "batch, compute its loss, back-propagate, update. This page draws every schedule, finds "
        "a starting rate with a range test, and compares batch sizes, all on the same small CNN "
        "and the same 800 training images of the built-in shapes.",
        "文章《深度学习之卷积神经网络(Convolutional Neural Networks, CNN)》把学习率描述为梯度下降走向损失最小值的"
        "快慢,列出了常用的取值(大约从 1e-5 到 10,每个约为前一个的 3 倍),以及训练中调整它的四种策略:fixed、step、multistep 和 "
        "poly。它用小批量 SGD 训练:取一批样本,计算损失,反向传播,更新权重。本页画出每种调度,用范围测试找到起始"
        "学习率,并比较不同的批大小,全部使用同一个小型 CNN 和同样 800 张内置形状训练图像。",
    ),
    "lrate.busy": (
        "A job of this page is still running: stop it or wait for it to finish.",
        "本页面的一个任务仍在运行:请先停止它或等待它完成。",
    ),
    "lrate.stop": ("Stop", "停止"),
    "lrate.queued": (
        "Waiting for a free worker (position {position} in the queue).",
        "正在等待空闲的工作进程(队列中第 {position} 位)。",
    ),
    "lrate.failed": ("The job stopped: {error}", "任务停止了:{error}"),
    # ---- 1. schedules ----
    "lrate.sched.title": ("1. Learning-rate schedules", "1. 学习率调度"),
    "lrate.sched.intro": (
        "A schedule changes the learning rate as training goes on: large steps early to make "
        "progress, small steps late to settle. Below, every schedule the Train page offers, for "
        "the settings you choose, computed by the PyTorch scheduler that training itself runs.",
        "学习率调度在训练过程中改变学习率:前期步子大以便快速进展,后期步子小以便稳定下来。下面是训练页面提供的每种调度,"
        "按你选择的设置,由训练时实际运行的 PyTorch 调度器计算得出。",
    ),
    "lrate.sched.optimizer": ("Optimizer", "优化器"),
    "lrate.sched.lr": ("Base learning rate", "基础学习率"),
    "lrate.sched.epochs": ("Epochs", "训练轮数"),
    "lrate.sched.table_title": (
        "The article's policies (Caffe) and PyTorch's schedulers",
        "文章中的策略(Caffe)与 PyTorch 调度器",
    ),
    "lrate.sched.table": (
        "E is the number of epochs, T the number of optimizer steps (E × batches per epoch). The "
        "{count} schedules of the Train page:\n\n"
        "| schedule | the article (Caffe's `lr_policy`) | here (PyTorch) |\n"
        "|---|---|---|\n"
        "| fixed | `base_lr` | no scheduler |\n"
        "| step | `base_lr · gamma ^ floor(iter / stepsize)` | `StepLR(step_size = E // 3, gamma = 0.1)`, "
        "each epoch |\n"
        "| multistep | the same at each `stepvalue` | `MultiStepLR(milestones = [E/2, 3E/4], gamma = 0.1)`, "
        "each epoch |\n"
        "| poly | `base_lr · (1 − iter / max_iter) ^ power` | `PolynomialLR(total_iters = T, power = 0.9)`, "
        "each batch |\n"
        "| exponential | — | `ExponentialLR(gamma = 0.01 ^ (1/T))`, each batch: lr/100 at the end |\n"
        "| cosine | — | `CosineAnnealingLR(T_max = T)`, each batch |\n"
        "| one-cycle | — | `OneCycleLR(max_lr = lr, total_steps = T)`: warm up from lr/25 during "
        "the first 30% of T, then anneal |",
        "E 为训练轮数,T 为优化器步数(E × 每轮批数)。训练页面的 {count} 种调度:\n\n"
        "| 调度 | 文章中的写法(Caffe 的 `lr_policy`) | 这里(PyTorch) |\n"
        "|---|---|---|\n"
        "| fixed(固定) | `base_lr` | 不用调度器 |\n"
        "| step(阶梯) | `base_lr · gamma ^ floor(iter / stepsize)` | `StepLR(step_size = E // 3, gamma = 0.1)`,"
        "每轮一次 |\n"
        "| multistep(多阶梯) | 在每个 `stepvalue` 处同样衰减 | `MultiStepLR(milestones = [E/2, 3E/4], gamma = 0.1)`,"
        "每轮一次 |\n"
        "| poly(多项式) | `base_lr · (1 − iter / max_iter) ^ power` | `PolynomialLR(total_iters = T, power = 0.9)`,"
        "每批一次 |\n"
        "| exponential(指数) | — | `ExponentialLR(gamma = 0.01 ^ (1/T))`,每批一次:结束时为 lr/100 |\n"
        "| cosine(余弦) | — | `CosineAnnealingLR(T_max = T)`,每批一次 |\n"
        "| one-cycle(单周期) | — | `OneCycleLR(max_lr = lr, total_steps = T)`:前 30% 的步数从 lr/25 "
        "升温,然后退火 |",
    ),
    "lrate.sched.start": (
        "Train with each of the {count} schedules",
        "用 {count} 种调度分别训练",
    ),
    "lrate.sched.run_name": ("Schedule: {schedule}, lr {lr}", "调度:{schedule},学习率 {lr}"),
    "lrate.sched.progress": (
        "{name} (run {index} of {total})",
        "{name}(第 {index} 次,共 {total} 次)",
    ),
    "lrate.sched.notice": (
        "**What to notice.** Every run starts from the same weights with the same base rate; "
        "only the schedule differs. The schedules that lower the rate towards the end (step, "
        "multistep, poly, cosine, exponential) usually end with a lower and steadier loss than "
        "fixed, which keeps bouncing at the same step size. One-cycle starts small, so it "
        "begins slowly. The runs are in the run history now: the Overfitting lab's "
        '"Compare runs" tab overlays them with any other run.',
        "**值得注意。**每次训练都从相同的权重、相同的基础学习率出发,只有调度不同。在训练后期降低学习率的调度"
        "(阶梯、多阶梯、多项式、余弦、指数)通常比固定学习率结束时损失更低、更平稳,而固定学习率一直以同样的步长来回跳动。"
        "单周期从小学习率开始,所以起步较慢。这些训练现在都在训练记录里:过拟合实验室的“比较训练”标签页可以把它们"
        "与其他任何训练叠加比较。",
    ),
    # ---- 2. the range test ----
    "lrate.range.title": ("2. The learning-rate range test", "2. 学习率范围测试"),
    "lrate.range.intro": (
        'Smith\'s range test ("Cyclical Learning Rates for Training Neural Networks", 2017): '
        "one pass over the training images while the learning rate grows exponentially from "
        "1e-5 to 10, one mini-batch of 16 per step, with the real optimizer and PyTorch's "
        "`ExponentialLR`. Too small a rate and the loss does not move; too large and it "
        "explodes. The useful rates lie where the loss falls fastest. The test stops early once "
        "the smoothed loss is four times its lowest value.",
        "Smith 的范围测试(《Cyclical Learning Rates for Training Neural Networks》,2017):把训练图像过一遍,"
        "学习率从 1e-5 指数增长到 10,每步一个 16 张图的小批量,使用真实的优化器和 PyTorch 的 `ExponentialLR`。"
        "学习率太小,损失纹丝不动;太大,损失爆炸。有用的学习率位于损失下降最快的地方。平滑后的损失一旦达到其最低值的"
        "四倍,测试就提前结束。",
    ),
    "lrate.range.optimizer": ("Optimizer", "优化器"),
    "lrate.range.start": ("Run the range test", "运行范围测试"),
    "lrate.range.progress": ("learning rate {lr}", "学习率 {lr}"),
    "lrate.range.stopped": (
        "The loss exploded: the test stopped after {steps} steps.",
        "损失爆炸了:测试在第 {steps} 步后停止。",
    ),
    "lrate.range.stopped_early": (
        "The range test was stopped before it finished: run it again.",
        "范围测试在完成之前被停止了:请重新运行。",
    ),
    "lrate.range.no_suggestion": (
        "The loss never fell below where it started: no range to suggest. Try another optimizer.",
        "损失从未低于起点:无法给出建议范围。请换一个优化器试试。",
    ),
    "lrate.range.suggestion": (
        "Suggested range (shaded): from **{low}**, where the loss starts to fall for good, to "
        "**{high}**, where it is lowest ({loss}); beyond it the loss climbs. A good rate to start "
        "from is one decade below the lowest point, **{lr}** (dashed line): at the lowest point "
        "the steps are already about to overshoot.",
        "建议范围(阴影部分):从损失开始持续下降的 **{low}**,到损失最低({loss})的 **{high}**;再往后损失就会上升。"
        "一个好的起始学习率是最低点再小一个数量级,即 **{lr}**(虚线):在最低点处,步子已经快要冲过头了。",
    ),
    "lrate.range.use": ("Use this LR on the Train page ({lr})", "在训练页面使用这个学习率({lr})"),
    "lrate.range.use_help": (
        "Sets the Train page's learning rate to the nearest of its choices, and its optimizer "
        "({optimizer}) and batch size ({batch}) to the test's: the best rate depends on both.",
        "把训练页面的学习率设为其可选值中最接近的一个,并把优化器({optimizer})和批大小({batch})设为测试所用的值:"
        "最佳学习率与这两者都有关。",
    ),
    "lrate.range.sent": (
        "Learning rate set to {lr} (the range test on the Learning rate page suggested {found}), "
        "with {optimizer} and batch size {batch} as in the test.",
        "学习率已设为 {lr}(学习率页面的范围测试建议 {found}),优化器为 {optimizer},批大小为 {batch},与测试一致。",
    ),
    "lrate.range.notice": (
        "**What to notice.** For the first decades of learning rate nothing happens: the steps "
        "are too small to change the loss. Then the loss falls, faster and faster, and finally "
        "shoots up: the steps overshoot, exactly like SGD past 2/λ_max on the Optimizers page. "
        "The range depends on the optimizer (run it with Adam and with SGD), on the batch size "
        "and on the network, which is why the test is cheap to rerun whenever they change.",
        "**值得注意。**在学习率最初的几个数量级里什么也没发生:步子太小,改变不了损失。随后损失开始下降,越来越快,"
        "最后急剧上升:步子冲过了头,正如优化器页面上学习率超过 2/λ_max 的 SGD。范围取决于优化器(分别用 Adam 和 "
        "SGD 试试)、批大小和网络,所以每当它们改变时,都值得花一点时间重新测试。",
    ),
    # ---- 3. batch size ----
    "lrate.batch.title": ("3. Batch size", "3. 批大小"),
    "lrate.batch.intro": (
        "Mini-batch SGD estimates the gradient of the whole training set from a batch of B "
        "images. The job first measures, at the starting weights, how far the batch gradients "
        "of B = {sizes} and the full batch scatter around the full gradient: the mean of "
        "‖g_B − g‖² over 24 batches, summed over every weight. Then it trains the same network "
        "from the same weights with each batch size, plain SGD with the learning rate you "
        "choose, and times every epoch.",
        "小批量 SGD 用一批 B 张图像来估计整个训练集的梯度。任务首先在初始权重处测量 B = {sizes} 以及全批量时,"
        "批梯度在完整梯度周围散布得有多远:24 个批次上 ‖g_B − g‖² 的平均值,对所有权重求和。然后用每种批大小,"
        "从相同的权重出发,用你选择的学习率的普通 SGD 训练同一个网络,并记录每一轮的用时。",
    ),
    "lrate.batch.lr": ("Learning rate (plain SGD)", "学习率(普通 SGD)"),
    "lrate.batch.epochs": ("Epochs", "训练轮数"),
    "lrate.batch.start": ("Measure and train", "测量并训练"),
    "lrate.batch.size": ("B = {batch}", "B = {batch}"),
    "lrate.batch.full": ("full batch (B = {n})", "全批量(B = {n})"),
    "lrate.batch.progress_noise": (
        "measuring the gradient noise at B = {batch} (0 = full batch)",
        "正在测量 B = {batch} 时的梯度噪声(0 表示全批量)",
    ),
    "lrate.batch.progress_run": (
        "training with B = {batch} (0 = full batch)",
        "正在用 B = {batch} 训练(0 表示全批量)",
    ),
    "lrate.batch.notice": (
        "**What to notice.** The noise falls like 1/B, as statistics predicts (dashed line, from "
        "the B = 1 measurement): a batch 4 times larger is 4 times less noisy, and the full "
        "batch has no noise at all. Per epoch, small batches take many small noisy steps and "
        "full batch takes one precise step, so per epoch the small batches learn more; but each "
        "of their steps costs almost as much time as a large batch's (the computer works on a "
        "batch in parallel), so per second the middle sizes often win. With the same learning "
        "rate, B = 1 is the noisiest and can even diverge.",
        "**值得注意。**噪声按 1/B 下降,正如统计学的预测(虚线,由 B = 1 的测量值推出):批大小增加到 4 倍,噪声降为 "
        "1/4,全批量则完全没有噪声。每一轮中,小批量走很多小而嘈杂的步子,全批量只走一步精确的步子,所以按轮数算,"
        "小批量学得更多;但它们的每一步几乎和大批量的一步一样耗时(计算机并行处理一整批),所以按时间算,中等批大小往往"
        "最快。在相同的学习率下,B = 1 噪声最大,甚至可能发散。",
    ),
    # ---- the charts ----
    "lrate.viz.schedules": ("Learning rate during the run", "训练过程中的学习率"),
    "lrate.viz.epoch": ("epoch", "轮"),
    "lrate.viz.lr": ("learning rate", "学习率"),
    "lrate.viz.loss": ("loss", "损失"),
    "lrate.viz.batch_loss": ("loss of each batch", "每个批次的损失"),
    "lrate.viz.smoothed": ("smoothed loss", "平滑后的损失"),
    "lrate.viz.suggested": ("suggested {lr}", "建议 {lr}"),
    "lrate.viz.range_title": (
        "LR range test: loss while the learning rate grows",
        "学习率范围测试:学习率增长时的损失",
    ),
    "lrate.viz.noise_title": (
        "Gradient noise E‖g_B − g‖² against batch size B",
        "梯度噪声 E‖g_B − g‖² 与批大小 B",
    ),
    "lrate.viz.noise_full": (" (full batch, B = {n}: {value})", "(全批量 B = {n}:{value})"),
    "lrate.viz.noise_measured": ("measured", "测量值"),
    "lrate.viz.noise_predicted": ("σ²/B · (N − B)/(N − 1)", "σ²/B · (N − B)/(N − 1)"),
    "lrate.viz.batch": ("batch size B", "批大小 B"),
    "lrate.viz.noise": ("E‖g_B − g‖²", "E‖g_B − g‖²"),
    "lrate.viz.batch_title": (
        "Training loss by epoch, by wall-clock time, and seconds per epoch",
        "训练损失随轮数、随实际用时的变化,以及每轮秒数",
    ),
    "lrate.viz.train_loss": ("training loss", "训练损失"),
    "lrate.viz.seconds": ("seconds", "秒"),
    "lrate.viz.seconds_per_epoch": ("seconds per epoch", "每轮秒数"),
}
