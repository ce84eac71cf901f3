"""Strings of the /regularize explorer (dropout, batch normalisation, local response normalisation)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "home.card.regularize": (
        "Inverted dropout mask by mask and over 1,000 masks; batch norm before and after, its running statistics, train against eval, and a deep network trained with and without it; AlexNet's LRN in the paper's and PyTorch's conventions.",
        "逐个掩码以及 1000 个掩码平均下的反向 Dropout;批归一化前后的分布、滑动平均统计量、训练与评估模式的差别,以及有无 BN 的深层网络训练对比;论文与 PyTorch 两种约定下的 AlexNet LRN。",
    ),
    "reg.title": ("Dropout and normalisation layers", "Dropout 与归一化层"),
    "reg.intro": (
        "Three layers that change how a network trains rather than what it computes: dropout (a different random network at every step), batch normalisation (every channel rescaled by its batch's statistics) and AlexNet's local response normalisation. Every number is computed by the real PyTorch layers, with your settings.",
        "三种层改变的是网络的训练方式,而不是它计算的内容:Dropout(每一步都是一个不同的随机网络)、批归一化(每个通道按所在批次的统计量重新缩放)以及 AlexNet 的局部响应归一化。每个数都由真实的 PyTorch 层用你的设置算出。",
    ),
    # ---- dropout ----
    "reg.drop.title": ("Inverted dropout", "反向 Dropout(Inverted Dropout)"),
    "reg.drop.intro": (
        "One layer's 16 activations h (a ReLU layer on one shapes picture). In training each unit is kept with probability 1 − p and the kept ones are divided by 1 − p; in evaluation nothing is dropped or scaled. The article {article} writes p for the probability of keeping a unit and divides by it: the same scheme. Masks come from a seeded generator (Resample draws the next one).",
        "某一层的 16 个激活值 h(一张形状图片经过一个 ReLU 层)。训练时每个单元以概率 1 − p 保留,保留下来的除以 1 − p;评估时既不丢弃也不缩放。文章 {article} 中的 p 表示保留一个单元的概率,并除以它:是同一种做法。掩码来自带随机种子的生成器(“重新采样”抽取下一个)。",
    ),
    "reg.drop.p": ("Drop probability p", "丢弃概率 p"),
    "reg.drop.p_help": (
        "0 to {high}; p = 1 would drop everything.",
        "0 到 {high};p = 1 会丢弃所有单元。",
    ),
    "reg.drop.picture": ("Picture", "图片"),
    "reg.drop.seed": ("Mask seed", "掩码随机种子"),
    "reg.drop.resample": ("Resample the mask", "重新采样掩码"),
    "reg.drop.sums": (
        "Sum of the eval output Σh = **{total}**; this mask keeps {kept} of {units} units and its train output sums to **{this_mask}**; the mean of {count} masks sums to **{mean_total}**.",
        "评估输出之和 Σh = **{total}**;这个掩码保留了 {units} 个单元中的 {kept} 个,训练输出之和为 **{this_mask}**;{count} 个掩码的平均输出之和为 **{mean_total}**。",
    ),
    "reg.drop.check": (
        "Checked against `nn.Dropout(p)` ({draws} draws; it uses PyTorch's global random state, so its masks differ from ours, not its rule): it dropped {dropped}% of the units (p = {p}%); kept values equal h / (1 − p) {kept}; eval mode is the identity {identity}; its mean is {gap} away from h (relative).",
        "与 `nn.Dropout(p)` 核对({draws} 次抽样;它使用 PyTorch 的全局随机状态,所以掩码与这里不同,但规则相同):它丢弃了 {dropped}% 的单元(p = {p}%);保留的值等于 h / (1 − p) {kept};评估模式下是恒等映射 {identity};它的均值与 h 的相对距离为 {gap}。",
    ),
    "reg.drop.notice": (
        "One mask's sum can be far from Σh, but on average it is exactly Σh: E[y] = (1 − p)·h/(1 − p) = h. That is why the next layer sees the same scale in training and in evaluation, and why evaluation needs no change at all (the original paper instead multiplied by 1 − p at test time). The mean of k masks closes in on h like 1/√k.",
        "单个掩码的输出之和可能与 Σh 相差很远,但平均起来恰好是 Σh:E[y] = (1 − p)·h/(1 − p) = h。所以下一层在训练和评估时看到的尺度相同,评估时也完全不需要改动(最初的论文则是在测试时乘以 1 − p)。k 个掩码的平均值以 1/√k 的速度逼近 h。",
    ),
    "reg.viz.dropout": (
        "Dropout, p = {p}, mask seed {seed}",
        "Dropout,p = {p},掩码随机种子 {seed}",
    ),
    "reg.viz.eval": ("eval: h", "评估:h"),
    "reg.viz.train": ("train: h·m / (1 − p)", "训练:h·m / (1 − p)"),
    "reg.viz.mean": ("mean of {count} masks", "{count} 个掩码的平均"),
    "reg.viz.dropped": ("dropped", "被丢弃"),
    "reg.viz.unit": ("unit", "单元"),
    "reg.viz.convergence": (
        "The mean over k masks converges to the eval output",
        "k 个掩码的平均值收敛到评估输出",
    ),
    "reg.viz.gap": ("‖mean of k masks − h‖ / ‖h‖", "‖k 个掩码的平均 − h‖ / ‖h‖"),
    "reg.viz.masks": ("number of masks k", "掩码个数 k"),
    # ---- batch norm ----
    "reg.bn.title": ("Batch normalisation", "批归一化(Batch Normalization)"),
    "reg.bn.intro": (
        "A conv layer's output on batches of 32 shapes pictures, scaled and shifted on purpose to be badly centred, goes through a real `nn.BatchNorm2d(4)` in training mode for the chosen number of batches; then the last batch goes through again in eval mode. Training mode normalises with the batch's own mean and variance; eval mode uses the running estimates.",
        "一个卷积层在每批 32 张形状图片上的输出,被故意缩放和平移得严重偏离中心,在训练模式下把选定数量的批次送入真实的 `nn.BatchNorm2d(4)`;然后把最后一批在评估模式下再送一次。训练模式用该批次自己的均值和方差做归一化;评估模式用滑动平均的估计值。",
    ),
    "reg.bn.shift": ("Shift of the layer's output", "该层输出的平移"),
    "reg.bn.scale": ("Scale of the layer's output", "该层输出的缩放"),
    "reg.bn.momentum": ("Momentum", "动量"),
    "reg.bn.batches": ("Batches seen in training", "训练中看过的批次数"),
    "reg.bn.channel": ("Channel", "通道"),
    "reg.bn.col.channel": ("channel", "通道"),
    "reg.bn.col.batch_mean": ("batch mean μ_B", "批均值 μ_B"),
    "reg.bn.col.batch_var": ("batch variance σ²_B", "批方差 σ²_B"),
    "reg.bn.col.running_mean": ("running mean", "滑动均值"),
    "reg.bn.col.running_var": ("running variance", "滑动方差"),
    "reg.bn.gap": (
        "After {batches} batch(es), train and eval mode still differ by up to **{gap}** on the same batch. The module's outputs match the formula to {formula}.",
        "看过 {batches} 个批次后,同一批数据在训练模式和评估模式下的输出仍最多相差 **{gap}**。模块的输出与公式相符,误差为 {formula}。",
    ),
    "reg.bn.notice": (
        "After BN every channel has mean β and standard deviation γ, whatever the layer's scale and shift: the next layer always sees well-scaled inputs. The running statistics start at mean 0 and variance 1 and approach the data's only as batches go by (momentum 0.1 keeps 10% of each new batch), so an evaluation right after a few training steps uses wrong statistics. The running variance uses the unbiased N/(N − 1) estimate, the normalisation the biased one.",
        "经过 BN 后,每个通道的均值都是 β、标准差都是 γ,不论该层原来的缩放和平移如何:下一层看到的总是尺度合适的输入。滑动平均统计量从均值 0、方差 1 开始,只有随着批次增加才逐渐接近数据的真实值(动量 0.1 表示每个新批次只占 10%),所以训练没几步就评估会用到错误的统计量。滑动方差用无偏估计 N/(N − 1),归一化用的是有偏估计。",
    ),
    "reg.bnrun.title": (
        "The same deep network with and without batch norm",
        "同一个深层网络:有无批归一化",
    ),
    "reg.bnrun.intro": (
        "Six 3x3 convolutions with ReLU (pooling after every second), plain SGD at learning rate 0.05, 4 epochs on 1,200 shapes pictures, the same seed; the second run has a BatchNorm2d after every convolution. Both train in the background, one after the other.",
        "六个 3x3 卷积加 ReLU(每两层之后池化一次),普通 SGD,学习率 0.05,在 1200 张形状图片上训练 4 个轮次,随机种子相同;第二次训练在每个卷积之后加一个 BatchNorm2d。两次训练在后台依次进行。",
    ),
    "reg.bnrun.start": ("Train both in the background", "在后台训练这两个网络"),
    "reg.bnrun.plain": ("without BN", "无 BN"),
    "reg.bnrun.bn": ("with BN", "有 BN"),
    "reg.bnrun.notice": (
        "Without BN this deep network barely moves from chance (a loss of ln 6 ≈ 1.79) in 4 epochs at this learning rate; with BN it learns within the first epoch. The Build page adds a BatchNorm2d layer after any convolution; the Overfitting lab compares BN as a cure.",
        "没有 BN 时,这个深层网络在这个学习率下 4 个轮次几乎没离开随机猜测(损失为 ln 6 ≈ 1.79);有了 BN,第一个轮次就学会了。在“搭建 CNN”页面可以在任何卷积后加上 BatchNorm2d 层;过拟合实验室把 BN 作为一种对策进行比较。",
    ),
    "reg.viz.bn": (
        "Channel {channel} after {batches} batch(es)",
        "看过 {batches} 个批次后的通道 {channel}",
    ),
    "reg.viz.before": ("before BN", "BN 之前"),
    "reg.viz.after_train": ("after BN, train mode", "BN 之后,训练模式"),
    "reg.viz.after_eval": ("after BN, eval mode", "BN 之后,评估模式"),
    "reg.viz.value": ("value", "数值"),
    # ---- LRN ----
    "reg.lrn.title": ("AlexNet's local response normalisation", "AlexNet 的局部响应归一化(LRN)"),
    "reg.lrn.intro": (
        "At one position, each channel aᵢ is divided by a power of the sum of squares of its n neighbouring channels (the article {article} describes it; it copies the formula with the + after k lost and calls n the number of kernels: in the paper n is the window and N the number of channels). Enter the channel values at one position; α is in the paper's convention.",
        "在同一个位置上,每个通道的 aᵢ 除以它相邻 n 个通道平方和的某次幂(文章 {article} 介绍了这一点;它抄写公式时丢了 k 后面的加号,还把 n 说成卷积核的个数:在论文中 n 是窗口大小,N 才是通道数)。输入同一位置上各通道的值;α 采用论文的约定。",
    ),
    "reg.lrn.a": ("Channel values aᵢ at one position", "同一位置上各通道的值 aᵢ"),
    "reg.lrn.alpha": ("α (paper)", "α(论文约定)"),
    "reg.lrn.window": ("window j", "窗口 j"),
    "reg.lrn.denominator": ("(k + αΣ)^β", "(k + αΣ)^β"),
    "reg.lrn.naive": ("PyTorch with the paper's α", "PyTorch 直接用论文的 α"),
    "reg.lrn.conventions": (
        "PyTorch's `nn.LocalResponseNorm(size, alpha, beta, k)` divides α by the window: it computes aᵢ / (k + α/n · Σ aⱼ²)^β. So the paper's layer with α = {alpha} is `nn.LocalResponseNorm({n}, alpha={torch_alpha})`: the largest difference from the formula above is {gap}. Passing {alpha} straight to PyTorch (last column) normalises n = {n} times too weakly.",
        "PyTorch 的 `nn.LocalResponseNorm(size, alpha, beta, k)` 会把 α 除以窗口大小:它计算 aᵢ / (k + α/n · Σ aⱼ²)^β。所以论文中 α = {alpha} 的层对应 `nn.LocalResponseNorm({n}, alpha={torch_alpha})`:与上面公式的最大差值为 {gap}。如果直接把 {alpha} 传给 PyTorch(最后一列),归一化会弱 n = {n} 倍。",
    ),
    "reg.lrn.preset_paper": (
        "The AlexNet preset's layer {number}: `nn.LocalResponseNorm({size}, alpha={torch_alpha})` in PyTorch's convention, which is α = {paper_alpha} in the paper's: the paper's layer. ✅",
        "AlexNet 预设的第 {number} 层:按 PyTorch 约定是 `nn.LocalResponseNorm({size}, alpha={torch_alpha})`,按论文约定即 α = {paper_alpha}:与论文一致。✅",
    ),
    "reg.lrn.preset_other": (
        "The AlexNet preset's layer {number}: `nn.LocalResponseNorm({size}, alpha={torch_alpha})` in PyTorch's convention, which is α = {paper_alpha} in the paper's, not the paper's 1e-4 (its normalisation is weaker than AlexNet's).",
        "AlexNet 预设的第 {number} 层:按 PyTorch 约定是 `nn.LocalResponseNorm({size}, alpha={torch_alpha})`,按论文约定即 α = {paper_alpha},不是论文的 1e-4(归一化比 AlexNet 的弱)。",
    ),
    "reg.lrn.notice": (
        "With AlexNet's numbers the denominator stays close to k^β = 2^0.75 ≈ 1.68 unless a neighbouring channel is large: then it suppresses this one (lateral inhibition between feature maps). BN has largely replaced LRN: the AlexNet article's own Keras version uses BN instead.",
        "用 AlexNet 的参数时,分母一般接近 k^β = 2^0.75 ≈ 1.68,只有当相邻通道很大时才会明显压低当前通道(特征图之间的侧抑制)。BN 已经基本取代了 LRN:AlexNet 那篇文章自己的 Keras 版本就改用了 BN。",
    ),
    "reg.viz.lrn": (
        "One position's channels before and after LRN",
        "同一位置上各通道在 LRN 前后的值",
    ),
    "reg.viz.lrn_in": ("aᵢ", "aᵢ"),
    "reg.viz.lrn_paper": ("bᵢ (paper's layer)", "bᵢ(论文的层)"),
    "reg.viz.lrn_naive": ("PyTorch with the paper's α (too weak)", "PyTorch 直接用论文的 α(太弱)"),
    "reg.viz.channel": ("channel i", "通道 i"),
}
