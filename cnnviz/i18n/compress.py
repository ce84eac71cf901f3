"""Strings of the pruning lab (pages/prune, cnnviz.compress, ``python -m cnnviz prune``)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- errors a student can act on (cnnviz.compress) ----
    "compress.error.sparsity": (
        "Sparsity {value} is not possible: choose a fraction from 0 to {high} (1.0 would remove "
        "every weight).",
        "稀疏度 {value} 不可行:请选择 0 到 {high} 之间的比例(1.0 会删去全部权重)。",
    ),
    "compress.error.method": (
        "Unknown pruning method {value}: choose one of {allowed}.",
        "未知的剪枝方法 {value}:请从 {allowed} 中选择。",
    ),
    "compress.error.nothing": (
        "This network has nothing to prune: it has no convolution or fully connected layer.",
        "这个网络没有可剪枝的部分:它没有卷积层或全连接层。",
    ),
    "compress.error.nothing_structured": (
        "Structured pruning needs a plain convolution (groups = 1) or a hidden fully connected "
        "layer; this network has none.",
        "结构化剪枝需要普通卷积层(groups = 1)或隐藏的全连接层;这个网络没有。",
    ),
    "compress.error.rebuild": (
        "Layer {layer} cannot be thinned channel by channel (a residual block, a grouped "
        "convolution, LRN, or an activation with f(0) != 0), so the network is not rebuilt "
        "smaller; the masked network still works.",
        "第 {layer} 层无法逐通道变窄(残差块、分组卷积、LRN 或 f(0) != 0 的激活函数),"
        "因此不重建为更小的网络;带掩码的网络仍然可用。",
    ),
    "compress.error.distill": (
        "Distillation needs a temperature from 1 to 20, a weight alpha from 0 to 1 and 1 to 20 "
        "epochs (got T = {t}, alpha = {alpha}, {epochs} epochs).",
        "蒸馏需要 1 到 20 的温度、0 到 1 的权重 alpha 和 1 到 20 个轮次"
        "(当前 T = {t},alpha = {alpha},{epochs} 轮)。",
    ),
    "compress.error.mismatch": (
        "This checkpoint is for another network ({found}); the pruning lab needs {expected}.",
        "这个检查点属于另一个网络({found});剪枝实验需要 {expected}。",
    ),
    # ---- navigation and the home page ----
    "nav.prune": ("Pruning lab", "剪枝实验"),
    "home.card.prune": (
        "Prune a trained network globally, layer by layer, filter by filter or at random; see "
        "accuracy against sparsity for every method, before and after fine-tuning, which layers "
        "lose most, and what it buys in size and speed; then distil it into a smaller student.",
        "对训练好的网络做全局剪枝、逐层剪枝、按滤波器剪枝或随机剪枝;观察每种方法在微调前后准确率随稀疏度的变化、"
        "哪些层被剪得最多,以及在模型大小和速度上的收益;再把它蒸馏成一个更小的学生网络。",
    ),
    # ---- the page ----
    "prune.title": ("Pruning lab: make it small", "剪枝实验:让网络变小"),
    "prune.intro": (
        "A trained network has many weights it barely uses. Remove them (pruning), let the rest "
        "adapt (fine-tuning), or teach a smaller network to copy it (knowledge distillation); "
        "then measure what it costs in accuracy and what it buys in size and speed.",
        "训练好的网络里有很多几乎不起作用的权重。把它们去掉(剪枝),让剩下的权重重新适应(微调),"
        "或者让一个更小的网络去模仿它(知识蒸馏);然后测量准确率的代价和在大小、速度上的收益。",
    ),
    "prune.notice.title": ("What to notice", "要注意什么"),
    "prune.notice.body": (
        "- The article 「卷积神经网络的参数剪枝和稀疏化方法」 (printed with 「关于卷积神经网络损失"
        "函数的改进算法」) names global, layer-wise and structured pruning, L1 and L0 penalties "
        "and distillation. Here you measure each one.\n"
        "- Global magnitude pruning keeps the largest weights of the whole network, so it prunes "
        "big, redundant layers hard and small ones gently: it usually beats the same fraction in "
        "every layer, and both beat random pruning by far.\n"
        "- Zeros are not speed: a dense kernel multiplies a zero as fast as any number. Only "
        "structured pruning, rebuilt into a narrower network, runs faster on this CPU.\n"
        "- The article says distillation uses a *smaller* model to make the original sparse. It "
        "is the other way round: a large trained *teacher* passes its soft targets to a smaller "
        "*student*, which becomes the small model; no weight of the teacher is changed.",
        "- 文章《卷积神经网络的参数剪枝和稀疏化方法》(与《关于卷积神经网络损失函数的改进算法》合印)"
        "列举了全局剪枝、逐层剪枝、结构化剪枝、L1 与 L0 惩罚以及蒸馏。这里逐一测量它们。\n"
        "- 全局幅值剪枝保留整个网络中最大的权重,因此对冗余的大层剪得多、对小层剪得少:"
        "它通常优于每层剪同样比例,而两者都远远优于随机剪枝。\n"
        "- 零不等于速度:稠密计算核乘以零和乘以任何数一样快。只有结构化剪枝、并重建为更窄的网络,"
        "才能在这台 CPU 上跑得更快。\n"
        "- 文章说蒸馏是用一个*更小*的模型引导原模型变稀疏。实际上正好相反:训练好的大*教师网络*把它的软目标"
        "传给一个更小的*学生网络*,学生网络就是得到的小模型;教师网络的权重一个也不变。",
    ),
    "prune.source.title": ("1. Start from a trained network", "1. 从一个训练好的网络开始"),
    "prune.source.pick": ("Trained network", "训练好的网络"),
    "prune.source.train": ("The Train page's network", "“实时训练”页的网络"),
    "prune.source.base": ("The default network (trained here)", "默认网络(在本页训练)"),
    "prune.source.run": ("Run: {name}", "运行:{name}"),
    "prune.source.file": ("Checkpoint: {name}", "检查点:{name}"),
    "prune.source.none": (
        "No trained network in this session yet: train one on the Train page (or keep a lab "
        "run's weights), load a checkpoint, or train the default network here in seconds.",
        "本次会话还没有训练好的网络:请在“实时训练”页训练一个(或保留实验运行的权重),"
        "加载一个检查点,或者在这里用几秒钟训练默认网络。",
    ),
    "prune.source.train_default": ("Train the default network", "训练默认网络"),
    "prune.source.busy": (
        "The default network is already training: wait for it to finish.",
        "默认网络正在训练中:请等它训练完。",
    ),
    "prune.source.training": (
        "Training the default network: epoch {epoch}",
        "正在训练默认网络:第 {epoch} 轮",
    ),
    "prune.source.upload": ("…or load a checkpoint (.zip)", "……或加载一个检查点(.zip)"),
    "prune.source.caption": (
        "Network {name} on {data} ({classes} classes). Pruning always works on a copy: this "
        "network is never changed.",
        "网络 {name},数据 {data}({classes} 个类别)。剪枝总是作用于副本:这个网络本身不会被修改。",
    ),
    "prune.source.accuracy": (
        "Validation accuracy before pruning: {acc}%",
        "剪枝前的验证准确率:{acc}%",
    ),
    "prune.one.title": ("2. Prune it", "2. 对它剪枝"),
    "prune.method.label": ("Method", "方法"),
    "prune.method.global": ("Global magnitude (L1)", "全局幅值剪枝(L1)"),
    "prune.method.layer": ("Layer-wise magnitude", "逐层幅值剪枝"),
    "prune.method.structured": ("Structured (whole filters)", "结构化剪枝(整个滤波器)"),
    "prune.method.random": ("Random (baseline)", "随机剪枝(基线)"),
    "prune.method.global.how": (
        "torch.nn.utils.prune.global_unstructured with L1Unstructured: the smallest |w| of all "
        "conv and fully connected weights together are set to zero.",
        "torch.nn.utils.prune.global_unstructured 配合 L1Unstructured:在所有卷积层和全连接层的权重中,"
        "把 |w| 最小的一批一起置零。",
    ),
    "prune.method.layer.how": (
        "torch.nn.utils.prune.l1_unstructured in each layer: the same fraction of every layer, "
        "its smallest |w|.",
        "在每一层调用 torch.nn.utils.prune.l1_unstructured:每层剪去同样比例、该层 |w| 最小的权重。",
    ),
    "prune.method.structured.how": (
        "torch.nn.utils.prune.ln_structured (dim 0): whole filters of each convolution (and "
        "neurons of each hidden fully connected layer) with the smallest L1 or L2 norm, with "
        "their bias; at least one filter per layer stays; the output layer is not pruned. The "
        "measured sparsity counts only the zeroed filters: the rebuild below also drops the "
        "next layer's weights that read them.",
        "torch.nn.utils.prune.ln_structured(dim 0):剪去每个卷积层中 L1 或 L2 范数最小的整个滤波器"
        "(以及隐藏全连接层的神经元),连同其偏置;每层至少保留一个滤波器;输出层不剪。"
        "实测稀疏度只统计被置零的滤波器:下面的重建还会去掉下一层中读取它们的权重。",
    ),
    "prune.method.random.how": (
        "torch.nn.utils.prune.random_unstructured in each layer (seeded): what any pruning "
        "claim must beat.",
        "在每一层调用 torch.nn.utils.prune.random_unstructured(固定随机种子):任何剪枝方法都必须胜过它。",
    ),
    "prune.norm.label": ("Filter norm", "滤波器范数"),
    "prune.sparsity.label": ("Sparsity (% of weights removed)", "稀疏度(剪去权重的百分比)"),
    "prune.sparsity.help": (
        "0 to 95%. 100% would remove every weight. Sparsity is measured after pruning: the "
        "fraction of conv and fully connected weights that are exactly zero.",
        "0 到 95%。100% 会剪去所有权重。稀疏度在剪枝后测量:卷积层和全连接层权重中恰好为零的比例。",
    ),
    "prune.metric.sparsity": ("Measured sparsity", "实测稀疏度"),
    "prune.metric.accuracy": ("Validation accuracy", "验证准确率"),
    "prune.metric.params": ("Non-zero / all parameters", "非零参数 / 全部参数"),
    "prune.metric.file": ("Sparse file", "稀疏文件"),
    "prune.metric.file_help": (
        "Measured size of the sparse encoding against the dense safetensors file ({dense} KB).",
        "稀疏编码的实测大小,与稠密 safetensors 文件({dense} KB)相比。",
    ),
    "prune.layers.title": ("Per layer", "逐层查看"),
    "prune.layers.axis": ("weights that are zero (%)", "为零的权重(%)"),
    "prune.layers.why_global": (
        "Global pruning is not uniform: one threshold on |w| for the whole network. Layers with "
        "many weights (the big fully connected layer) have many small, redundant ones and lose "
        "most; the first convolution has few weights, each of them larger and needed, and "
        "loses least.",
        "全局剪枝并不均匀:整个网络只用一个 |w| 阈值。权重很多的层(大的全连接层)有大量小而冗余的权重,"
        "被剪得最多;第一个卷积层权重少,每个都更大、更必要,被剪得最少。",
    ),
    "prune.layers.why_other": (
        "Switch to global pruning to see a non-uniform split: here each layer loses what the "
        "method gives it.",
        "切换到全局剪枝可以看到不均匀的分配:这里每层剪去的比例由方法决定。",
    ),
    "prune.hist.title": ("Weight histogram, before and after", "剪枝前后的权重直方图"),
    "prune.hist.before": ("before", "剪枝前"),
    "prune.hist.after": ("after", "剪枝后"),
    "prune.filters.title": (
        "First layer's filters (pruned ones greyed out)",
        "第一层的滤波器(被剪掉的显示为灰色)",
    ),
    "prune.filters.pruned": ("pruned", "已剪"),
    "prune.filters.caption": (
        "{pruned} of {total} filters are entirely zero. Unstructured pruning scatters its zeros "
        "inside filters; structured pruning removes whole filters.",
        "{total} 个滤波器中有 {pruned} 个全为零。非结构化剪枝把零分散在滤波器内部;结构化剪枝则去掉整个滤波器。",
    ),
    "prune.filters.none": ("This network has no convolution.", "这个网络没有卷积层。"),
    "prune.buys.title": ("3. What it buys", "3. 剪枝换来了什么"),
    "prune.buys.dense_kernel": (
        "Plainly: unstructured sparsity saves nothing on a dense CPU kernel. The zeros are "
        "still stored and multiplied; the network is as big and as slow as before until it is "
        "stored in a sparse format (smaller file) or rebuilt with fewer channels (faster).",
        "直说:在稠密的 CPU 计算核上,非结构化稀疏什么也省不下。零仍然被存储、被相乘;"
        "除非用稀疏格式存储(文件更小)或重建为通道更少的网络(更快),网络和原来一样大、一样慢。",
    ),
    "prune.buys.sizes": (
        "Parameters: {nonzero} non-zero of {total}. Dense file (safetensors): {dense} bytes; "
        "sparse file (a bit per weight saying zero or not, plus the non-zero values): {sparse} "
        "bytes, measured.",
        "参数:{total} 个中有 {nonzero} 个非零。稠密文件(safetensors):{dense} 字节;"
        "稀疏文件(每个权重一位表示是否为零,再加上非零值):{sparse} 字节,均为实测。",
    ),
    "prune.export.masked": ("Download the pruned network (checkpoint)", "下载剪枝后的网络(检查点)"),
    "prune.export.small": ("Download the smaller network (checkpoint)", "下载变小后的网络(检查点)"),
    "prune.export.student": (
        "Download the distilled student (checkpoint)",
        "下载蒸馏得到的学生网络(检查点)",
    ),
    "prune.rebuild.title": ("Rebuilt smaller", "重建为更小的网络"),
    "prune.rebuild.only_structured": (
        "Only structured pruning can be rebuilt into a genuinely smaller network (choose "
        "Structured above).",
        "只有结构化剪枝才能重建为真正更小的网络(请在上面选择“结构化剪枝”)。",
    ),
    "prune.rebuild.summary": (
        "Pruned filters output exact zeros, so they and the weights reading them are dropped: "
        "{before} → {after} parameters; channels per convolution/hidden layer now {channels}. "
        "The rebuilt network gives the same outputs as the masked one.",
        "被剪的滤波器输出恒为零,因此把它们以及读取它们的权重一并去掉:参数 {before} → {after};"
        "各卷积层/隐藏层的通道数现在为 {channels}。重建后的网络与带掩码的网络输出相同。",
    ),
    "prune.rebuild.time": ("Measure inference time on this CPU", "在这台 CPU 上测量推理时间"),
    "prune.rebuild.timed": (
        "64 images: original {dense} ms, rebuilt {small} ms (median of 20): {ratio}x faster.",
        "64 张图像:原网络 {dense} 毫秒,重建后 {small} 毫秒(20 次的中位数):快 {ratio} 倍。",
    ),
    "prune.rebuild.to_build": ("Open this network on the Build page", "在“搭建”页打开这个网络"),
    "prune.rebuild.sent": ("The Build page now shows this network.", "“搭建”页现在显示这个网络。"),
    "prune.link.build": ("Go to the Build page", "前往“搭建”页"),
    "prune.link.train": ("Train a network on the Train page", "在“实时训练”页训练一个网络"),
    "prune.link.lab": ("The Overfitting lab's L1 vs L2 view", "过拟合实验中的 L1 与 L2 对比"),
    "prune.sweep.title": (
        "4. Accuracy against sparsity, every method",
        "4. 各种方法的准确率与稀疏度",
    ),
    "prune.sweep.intro": (
        "Every method at 0 to 95% sparsity, without fine-tuning (solid) and after a short "
        "fine-tune with the masks kept (dashed: pruned weights stay zero). A cross marks where a "
        "method first loses more than 1 point; the dotted line is 1 point below the unpruned "
        "network.",
        "每种方法在 0 到 95% 稀疏度下的结果:不微调(实线)和保留掩码做短暂微调之后(虚线:被剪的权重保持为零)。"
        "叉号标出每种方法第一次损失超过 1 个百分点的位置;点线比未剪枝网络低 1 个百分点。",
    ),
    "prune.sweep.epochs": ("Fine-tune epochs (0: none)", "微调轮数(0 表示不微调)"),
    "prune.sweep.run": ("Prune at every sparsity", "在每个稀疏度下剪枝"),
    "prune.sweep.stop": ("Stop", "停止"),
    "prune.sweep.busy": (
        "A sweep with fine-tuning is still running: wait for it or press Stop before starting "
        "another.",
        "带微调的剪枝扫描仍在运行:请等待它结束,或先按“停止”再开始新的。",
    ),
    "prune.sweep.empty": (
        "Press the button to prune at every sparsity with every method (it runs in the "
        "background; the chart fills in as it goes).",
        "按下按钮,用每种方法在每个稀疏度下剪枝(在后台运行,图表会逐步填充)。",
    ),
    "prune.sweep.other_source": (
        "This sweep was run on another network; run it again for this one.",
        "这次扫描是在另一个网络上运行的;请为当前网络重新运行。",
    ),
    "prune.sweep.progress": ("{done} of {total} prunings", "已完成 {done} / {total} 次剪枝"),
    "prune.chart.sparsity": ("measured sparsity (%)", "实测稀疏度(%)"),
    "prune.chart.accuracy": ("validation accuracy (%)", "验证准确率(%)"),
    "prune.chart.finetuned": ("{method}, fine-tuned", "{method},微调后"),
    "prune.chart.one_point": ("1 point below unpruned", "比未剪枝低 1 个百分点"),
    "prune.chart.cliff": (
        "{method}: first loses more than 1 point",
        "{method}:首次损失超过 1 个百分点",
    ),
    "prune.table.title": (
        "Smallest sparsity where each method loses more than 1 point",
        "每种方法损失超过 1 个百分点的最小稀疏度",
    ),
    "prune.table.method": ("method", "方法"),
    "prune.table.no_ft": ("without fine-tuning", "不微调"),
    "prune.table.after_ft": ("after fine-tuning", "微调后"),
    "prune.table.never": ("never (up to 95%)", "从不(直到 95%)"),
    "prune.penalty.title": ("5. Sparsity penalties", "5. 稀疏惩罚"),
    "prune.penalty.l1": (
        "**L1 during training** adds l1 · Σ|w| to the loss: its gradient pushes every weight "
        "towards zero by the same amount. Train the same network with several strengths and "
        "count the zeros: with Adam (or SGD) weights hover *near* zero but are almost never "
        "*exactly* zero, so an L1-trained network still needs a pruning step to become sparse.",
        "**训练时的 L1 惩罚**在损失中加入 l1 · Σ|w|:它的梯度把每个权重以同样的力度推向零。"
        "用几种不同强度训练同一个网络,再数一数零的个数:使用 Adam(或 SGD)时,权重在零*附近*徘徊,"
        "但几乎从不*恰好*为零,所以用 L1 训练的网络仍需要一次剪枝才能变得稀疏。",
    ),
    "prune.penalty.run": (
        "Train with L1 = 0, 1e-4, 1e-3 ({epochs} epochs each)",
        "分别用 L1 = 0、1e-4、1e-3 训练(各 {epochs} 轮)",
    ),
    "prune.penalty.busy": ("The L1 runs are still training.", "L1 训练仍在进行中。"),
    "prune.penalty.progress": ("Training with L1…", "正在用 L1 训练……"),
    "prune.penalty.exact": ("exactly zero", "恰好为零"),
    "prune.penalty.near": ("|w| < 0.001", "|w| < 0.001"),
    "prune.penalty.l0": (
        '**L0 is left out, and here is why.** The L0 "norm" counts non-zero weights; it has '
        "no gradient, so Louizos, Welling and Kingma (2018) multiply each weight by a random "
        "gate drawn from a *hard-concrete* distribution whose expected number of open gates is "
        "differentiable. That needs a learnable gate parameter per weight and a changed "
        "training step (sampling gates, a different penalty), which cnnviz's one training loop "
        "does not have yet. Its point is the one the table shows: unlike L1, closed gates give "
        "*exact* zeros.",
        "**这里没有实现 L0,原因如下。** L0 “范数”统计非零权重的个数,它没有梯度;因此 Louizos、Welling 和 "
        "Kingma(2018)给每个权重乘上一个从*硬混凝土*(hard-concrete)分布采样的随机门,使打开的门的期望个数"
        "可微。这需要为每个权重增加一个可学习的门参数,并修改训练步骤(采样门、换一种惩罚),而 cnnviz "
        "唯一的训练循环目前还没有这些。它的意义正是上表所示的:与 L1 不同,关闭的门给出*恰好*为零的权重。",
    ),
    "prune.distill.title": ("6. Knowledge distillation", "6. 知识蒸馏"),
    "prune.distill.convention": (
        "Hinton, Vinyals and Dean (2015). z_t: the teacher's logits (the trained network), z_s: "
        "the student's; α weighs the soft term, T² keeps its gradients the same size as T "
        "changes; KL averaged over the batch. α = 0 is ordinary training on the labels.",
        "Hinton、Vinyals 和 Dean(2015)。z_t:教师网络(训练好的网络)的 logits,z_s:学生网络的 logits;"
        "α 是软目标项的权重,T² 使温度变化时该项梯度的大小保持不变;KL 在批次上取平均。α = 0 就是普通的按标签训练。",
    ),
    "prune.distill.student": ("Student", "学生网络"),
    "prune.distill.student.half": ("Half as wide", "宽度减半"),
    "prune.distill.student.quarter": ("A quarter as wide", "宽度为四分之一"),
    "prune.distill.student.build": ("The Build page's network", "“搭建”页的网络"),
    "prune.distill.t": ("Temperature T", "温度 T"),
    "prune.distill.alpha": ("Weight α of the soft targets", "软目标的权重 α"),
    "prune.distill.epochs": ("Epochs", "轮数"),
    "prune.distill.sizes": (
        "Student: {student} parameters; teacher: {teacher}.",
        "学生网络:{student} 个参数;教师网络:{teacher} 个。",
    ),
    "prune.distill.run": (
        "Train the student alone and distilled",
        "分别单独训练和蒸馏训练学生网络",
    ),
    "prune.distill.busy": ("The student is still training.", "学生网络仍在训练中。"),
    "prune.distill.progress": ("Training the student…", "正在训练学生网络……"),
    "prune.distill.run.alone": ("student alone (α = 0)", "学生单独训练(α = 0)"),
    "prune.distill.run.distilled": ("student distilled", "学生蒸馏训练"),
    "prune.distill.axis_epoch": ("epoch", "轮次"),
    "prune.distill.axis_prob": ("softmax(z / T)", "softmax(z / T)"),
    "prune.distill.soft_title": (
        "The teacher's soft targets for one validation image (a {label}) at several "
        "temperatures: the higher T, the more the wrong classes' similarities show.",
        "教师网络对一张验证图像(类别:{label})在几种温度下的软目标:T 越高,错误类别之间的相似性就越明显。",
    ),
}
