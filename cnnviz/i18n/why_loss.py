"""Strings of the /losses explorer (softmax, the loss catalogue, the sigmoid neuron, metric learning)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "home.card.losses": (
        "The article's cross-entropy −ln 0.0875 ≈ 2.436 and softmax with a temperature; MSE, MAE, Huber, BCE, CE, NLL, hinge, KL, focal, Dice and SSIM with their gradients; why cross-entropy beats MSE after a sigmoid; contrastive and triplet losses and a 2-D embedding that learns.",
        "文章中的交叉熵 −ln 0.0875 ≈ 2.436 与带温度的 softmax;MSE、MAE、Huber、BCE、CE、NLL、hinge、KL、focal、Dice、SSIM 及其梯度;为什么 sigmoid 之后交叉熵胜过 MSE;对比损失、三元组损失和一个逐步学习的二维嵌入。",
    ),
    "loss.title": (
        "Softmax, cross-entropy and the loss catalogue",
        "Softmax、交叉熵与损失函数一览",
    ),
    "loss.intro": (
        "A loss turns “how wrong is the network?” into one number, and its gradient tells every weight which way to move. Every value and every gradient below is computed by `torch.nn.functional` and autograd, with your numbers.",
        "损失函数把“网络错得有多离谱”变成一个数,它的梯度告诉每个权重该往哪个方向调整。下面的每个值、每个梯度都由 `torch.nn.functional` 和自动求导用你的数值算出。",
    ),
    # ---- softmax ----
    "loss.soft.title": ("Softmax and cross-entropy", "Softmax 与交叉熵"),
    "loss.soft.intro": (
        "The article {article} stops an unfinished network, feeds it a picture of class 4 and gets the 10 probabilities below; the cross-entropy against the one-hot target p is −Σ pₖ ln qₖ = −ln q₄. Edit the numbers (probabilities or logits), the target class and the temperature T: softmax(z / T) sharpens for T < 1 and flattens for T > 1.",
        "文章 {article} 中止一个尚未训练好的网络,输入一张类别为 4 的图片,得到下面这 10 个概率;它与独热目标 p 的交叉熵是 −Σ pₖ ln qₖ = −ln q₄。你可以修改这些数(概率或 logits)、目标类别和温度 T:softmax(z / T) 在 T < 1 时变得更尖锐,在 T > 1 时变得更平坦。",
    ),
    "loss.soft.load_article": ("The article's example (q, class 4)", "文章中的例子(q,类别 4)"),
    "loss.soft.load_walk": (
        "The worked example's logits ({article})",
        "完整算例的 logits({article})",
    ),
    "loss.soft.mode": ("Enter", "输入"),
    "loss.soft.mode.probabilities": ("probabilities q", "概率 q"),
    "loss.soft.mode.logits": ("logits z", "logits z"),
    "loss.soft.text.probabilities": (
        "Probabilities (comma-separated, sum 1)",
        "概率(用逗号分隔,和为 1)",
    ),
    "loss.soft.text.logits": ("Logits (comma-separated)", "Logits(用逗号分隔)"),
    "loss.soft.target": ("True class", "真实类别"),
    "loss.soft.temperature": ("Temperature T", "温度 T"),
    "loss.soft.article_sum": (
        "The article's q are rounded to 4 decimals and sum to {total}; as logits (z = ln q) softmax renormalises them, so the true class gets {renorm} and the cross-entropy is {loss}: still 2.436 to three decimals.",
        "文章中的 q 四舍五入到 4 位小数,总和为 {total};把它们当作 logits(z = ln q)时,softmax 会重新归一化,真实类别的概率变为 {renorm},交叉熵为 {loss}:保留三位小数仍是 2.436。",
    ),
    "loss.soft.grad": (
        "Gradient with respect to the logits (autograd): ∂L/∂z = (softmax(z/T) − onehot) / T = [{grad}]. Predicted class: {predicted}.",
        "对 logits 的梯度(自动求导):∂L/∂z = (softmax(z/T) − onehot) / T = [{grad}]。预测类别:{predicted}。",
    ),
    "loss.soft.notice": (
        "The loss depends only on the true class's probability, yet the gradient touches every logit: it lowers each wrong class's logit by its probability and raises the true one by 1 − q. Adding the same number to every logit changes nothing. Logits of ±1e4 would overflow a naive exp(); PyTorch computes log-softmax as a log-sum-exp, and this page refuses values beyond ±100, where softmax is already exactly one-hot.",
        "损失只取决于真实类别的概率,但梯度会作用到每个 logit 上:它把每个错误类别的 logit 按其概率压低,把真实类别的 logit 提高 1 − q。给所有 logit 加上同一个数,结果不变。±1e4 这样的 logit 会让直接计算的 exp() 溢出;PyTorch 用 log-sum-exp 计算 log-softmax,而本页拒绝超过 ±100 的值,因为那时 softmax 早已完全是独热向量。",
    ),
    # ---- catalogue ----
    "loss.cat.title": ("The loss catalogue", "损失函数一览"),
    "loss.cat.intro": (
        "The losses the article {article} lists (and a few more), each with its value and its gradient with respect to its input. The classification losses use the logits and the true class of the softmax section above; the regression losses compare predictions with targets you type.",
        "文章 {article} 列出的损失函数(以及另外几个),每个都给出它的值和对输入的梯度。分类损失使用上面 softmax 部分的 logits 和真实类别;回归损失比较你输入的预测值和目标值。",
    ),
    "loss.cat.delta": ("Huber δ (smooth L1 β)", "Huber δ(smooth L1 β)"),
    "loss.cat.margin": ("Hinge margin", "Hinge 间隔"),
    "loss.cat.gamma": ("Focal γ", "Focal γ"),
    "loss.cat.smoothing": ("Label smoothing (KL target)", "标签平滑(KL 的目标分布)"),
    "loss.cat.classification": (
        "Classification: gradient with respect to the logits",
        "分类:对 logits 的梯度",
    ),
    "loss.cat.on_logits": (
        "logits z = [{logits}], true class {target}",
        "logits z = [{logits}],真实类别 {target}",
    ),
    "loss.cat.regression": (
        "Regression: gradient with respect to the predictions",
        "回归:对预测值的梯度",
    ),
    "loss.cat.pred": ("Predictions ŷ", "预测值 ŷ"),
    "loss.cat.true": ("Targets y (same length)", "目标值 y(长度相同)"),
    "loss.cat.curves": (
        "Each loss as the true class becomes likely",
        "真实类别概率变大时各损失的变化",
    ),
    "loss.col.loss": ("loss", "损失函数"),
    "loss.col.value": ("value", "值"),
    "loss.col.grad": ("gradient", "梯度"),
    "loss.col.call": ("PyTorch", "PyTorch 调用"),
    "loss.name.mse": ("MSE", "均方误差 MSE"),
    "loss.name.mae": ("MAE (L1)", "平均绝对误差 MAE(L1)"),
    "loss.name.smooth_l1": ("smooth L1", "Smooth L1"),
    "loss.name.huber": ("Huber", "Huber"),
    "loss.name.bce_logits": ("binary cross-entropy (with logits)", "二元交叉熵(带 logits)"),
    "loss.name.ce": ("cross-entropy", "交叉熵"),
    "loss.name.nll": ("NLL of log-softmax", "log-softmax 的负对数似然 NLL"),
    "loss.name.hinge": ("multi-class hinge (SVM)", "多类 hinge(SVM)"),
    "loss.name.kl": ("KL divergence", "KL 散度"),
    "loss.name.focal": ("focal loss", "Focal 损失"),
    "loss.cat.notice": (
        "Cross-entropy and NLL of log-softmax are the same number: F.cross_entropy is log_softmax followed by nll_loss. MSE's gradient grows with the error, MAE's is always ±1/n, Huber switches from one to the other at δ. The hinge loss is exactly 0 once the true logit beats every other by the margin: no gradient from examples already right. Focal loss down-weights easy examples by (1 − p)^γ: its curve hugs 0 as p → 1. KL divergence from a smoothed target equals cross-entropy minus the target's entropy, so with smoothing 0 it is cross-entropy.",
        "交叉熵与 log-softmax 的 NLL 是同一个数:F.cross_entropy 就是 log_softmax 之后接 nll_loss。MSE 的梯度随误差增大,MAE 的梯度总是 ±1/n,Huber 在 δ 处从前者切换到后者。一旦真实类别的 logit 比其他所有 logit 都大出间隔,hinge 损失就恰好为 0:已经分对的样本不再贡献梯度。Focal 损失用 (1 − p)^γ 降低容易样本的权重:p → 1 时它的曲线贴近 0。相对于平滑目标的 KL 散度等于交叉熵减去目标分布的熵,所以平滑为 0 时它就是交叉熵。",
    ),
    # ---- images ----
    "loss.img.title": ("Dice and SSIM on two small images", "两张小图上的 Dice 与 SSIM"),
    "loss.img.intro": (
        "Segmentation and image-to-image networks compare whole images. {cnn003} names Dice for segmentation; {tcnn} gives SSIM's formula for denoising. Choose a 12x12 target mask and a prediction made from it; the heatmaps show each loss's gradient with respect to every pixel of the prediction (red: lower that pixel, blue: raise it).",
        "分割网络和图像到图像的网络比较的是整张图像。{cnn003} 提到分割任务用 Dice;{tcnn} 给出了去噪任务中 SSIM 的公式。选择一张 12x12 的目标掩码,以及由它生成的预测图;热力图显示每个损失对预测图每个像素的梯度(红色:该像素应调低,蓝色:应调高)。",
    ),
    "loss.img.target": ("Target", "目标"),
    "loss.img.prediction": ("Prediction", "预测"),
    "loss.img.noise": ("Noise σ (for “noisy”)", "噪声 σ(用于“加噪声”)"),
    "loss.img.seed": ("Noise seed", "噪声随机种子"),
    "loss.img.t.square": ("square", "正方形"),
    "loss.img.t.circle": ("disc", "圆盘"),
    "loss.img.t.cross": ("cross", "十字"),
    "loss.img.p.same": ("the same", "完全相同"),
    "loss.img.p.shifted": ("shifted 1 pixel right", "右移 1 个像素"),
    "loss.img.p.blurred": ("blurred (3x3 mean)", "模糊(3x3 均值)"),
    "loss.img.p.noisy": ("with noise", "加噪声"),
    "loss.img.p.brighter": ("brighter (+0.3)", "更亮(+0.3)"),
    "loss.img.p.low_contrast": ("half the contrast", "对比度减半"),
    "loss.img.p.inverted": ("inverted", "反相"),
    "loss.img.p.empty": ("empty", "全空"),
    "loss.img.grad_mse": ("∂MSE/∂prediction", "∂MSE/∂预测"),
    "loss.img.grad_dice": ("∂Dice/∂prediction", "∂Dice/∂预测"),
    "loss.img.grad_ssim": ("∂(1 − SSIM)/∂prediction", "∂(1 − SSIM)/∂预测"),
    "loss.img.mse": ("MSE", "MSE"),
    "loss.img.dice": ("Dice loss", "Dice 损失"),
    "loss.img.ssim": ("1 − SSIM", "1 − SSIM"),
    "loss.img.ssim_help": (
        "SSIM = {ssim} (7x7 Gaussian window, σ = 1.5)",
        "SSIM = {ssim}(7x7 高斯窗口,σ = 1.5)",
    ),
    "loss.img.notice": (
        "A one-pixel shift costs MSE a lot but leaves most of the overlap, so Dice forgives it more. A brighter image or half the contrast has the same structure: SSIM separates luminance, contrast and structure, MSE sees only pixel differences. Dice ignores everything outside the two masks: an inverted prediction scores the worst possible 1.",
        "平移一个像素会让 MSE 大幅上升,但重叠部分大多还在,所以 Dice 更宽容。更亮或对比度减半的图像结构相同:SSIM 把亮度、对比度和结构分开衡量,MSE 只看像素之差。Dice 不关心两个掩码以外的区域:反相的预测得到最差的 1。",
    ),
    # ---- the sigmoid neuron ----
    "loss.neuron.title": (
        "MSE against cross-entropy after a sigmoid",
        "sigmoid 之后:MSE 与交叉熵之争",
    ),
    "loss.neuron.intro": (
        "One sigmoid neuron a = σ(wx + b) with x = 1 starts badly wrong (w = 2, b = 2: a = σ(4) ≈ 0.98, target y = 0) and is trained with `torch.optim.SGD`, once with the quadratic cost C = (a − y)²/2 and once with cross-entropy, at the same learning rate (Nielsen's classic demo). The article {article} explains why: with MSE the output error δ = ∂C/∂z carries the factor σ′(z); with cross-entropy it cancels.",
        "一个 sigmoid 神经元 a = σ(wx + b),x = 1,一开始就错得离谱(w = 2,b = 2:a = σ(4) ≈ 0.98,而目标 y = 0),用 `torch.optim.SGD` 训练,一次用二次代价 C = (a − y)²/2,一次用交叉熵,学习率相同(Nielsen 的经典演示)。文章 {article} 解释了原因:用 MSE 时输出误差 δ = ∂C/∂z 带有因子 σ′(z);用交叉熵时这个因子被抵消了。",
    ),
    "loss.neuron.lr": ("Learning rate", "学习率"),
    "loss.neuron.start": ("Train both neurons", "训练两个神经元"),
    "loss.neuron.before": (
        "Press “Train both neurons”: both train in the background, {steps} steps each, and their loss curves appear as they learn.",
        "点击“训练两个神经元”:两个神经元在后台各训练 {steps} 步,损失曲线随训练逐步出现。",
    ),
    "loss.neuron.stale": (
        "These curves were trained with w = {w}, b = {b}, learning rate {lr}. Press “Train both neurons” to train with the current settings.",
        "这些曲线是用 w = {w}、b = {b}、学习率 {lr} 训练得到的。点击“训练两个神经元”,用当前设置重新训练。",
    ),
    "loss.neuron.progress": ("Step {step} of {steps}", "第 {step} 步,共 {steps} 步"),
    "loss.neuron.step": ("Step", "步数"),
    "loss.neuron.state": (
        "Step {step}: w = {w}, b = {b}, z = {z}, a = {a}, C = {loss}; ∂C/∂w = {gw}, ∂C/∂b = {gb} (autograd).",
        "第 {step} 步:w = {w},b = {b},z = {z},a = {a},C = {loss};∂C/∂w = {gw},∂C/∂b = {gb}(自动求导)。",
    ),
    "loss.neuron.notice": (
        "With MSE the neuron sits on a plateau for about 150 steps: σ′(4) ≈ 0.018 makes every step tiny exactly when it is most wrong. Cross-entropy's gradient is a − y: the worse the neuron, the faster it learns. That is the article's conclusion: after a sigmoid, cross-entropy is almost always the better choice.",
        "用 MSE 时,神经元在平台上停留了大约 150 步:σ′(4) ≈ 0.018 让它在错得最厉害的时候每一步都走得极小。交叉熵的梯度是 a − y:错得越厉害,学得越快。这正是文章的结论:在 sigmoid 之后,交叉熵几乎总是更好的选择。",
    ),
    "loss.viz.neuron.mse": ("Quadratic cost (a − y)²/2", "二次代价 (a − y)²/2"),
    "loss.viz.neuron.ce": ("Cross-entropy", "交叉熵"),
    # ---- metric learning ----
    "loss.metric.title": (
        "Metric learning: contrastive and triplet losses",
        "度量学习:对比损失与三元组损失",
    ),
    "loss.metric.intro": (
        "Some networks output a point (an embedding), not class scores: pictures of one class should land close together. The article {article} gives the contrastive loss y·d² + (1 − y)·max(0, m − d)²; the triplet loss asks that the anchor be closer to the positive than to the negative by the margin m. Move the points with the sliders, or click the chart to move the point chosen below; the arrows show where each point is pushed (−gradient).",
        "有些网络输出的不是类别分数,而是一个点(嵌入):同类图片应该落在一起。文章 {article} 给出了对比损失 y·d² + (1 − y)·max(0, m − d)²;三元组损失则要求锚点离正样本比离负样本近出间隔 m。用滑块移动这些点,或者点击图表把下面选中的点移过去;箭头表示每个点被推动的方向(负梯度)。",
    ),
    "loss.metric.loss": ("Loss", "损失"),
    "loss.metric.triplet": ("triplet", "三元组"),
    "loss.metric.contrastive": ("contrastive", "对比"),
    "loss.metric.margin": ("Margin m", "间隔 m"),
    "loss.metric.anchor": ("anchor", "锚点"),
    "loss.metric.positive": ("positive", "正样本"),
    "loss.metric.negative": ("negative", "负样本"),
    "loss.metric.click_moves": ("A click moves", "点击移动"),
    "loss.metric.grads": ("Gradients (autograd):", "梯度(自动求导):"),
    "loss.viz.metric.triplet": (
        "Triplet loss: the dotted circle is d(a, p) + m",
        "三元组损失:虚线圆半径为 d(a, p) + m",
    ),
    "loss.viz.metric.contrastive": (
        "Contrastive loss: the dotted circle is the margin m",
        "对比损失:虚线圆半径为间隔 m",
    ),
    "loss.metric.notice": (
        "The triplet loss is 0, and every gradient with it, as soon as the negative is outside the dotted circle: easy triplets teach nothing, which is why training picks hard ones. The contrastive loss always pulls a similar pair together (d² has no floor but 0) and pushes a dissimilar one only while it is inside the margin.",
        "只要负样本在虚线圆之外,三元组损失就为 0,所有梯度也都为 0:容易的三元组什么也教不了,所以训练时要挑难的。对比损失总是把相似的一对往一起拉(d² 的下限只有 0),而只有当不相似的一对在间隔之内时才把它们推开。",
    ),
    "loss.embed.title": (
        "A tiny embedding network learns on the shapes",
        "一个小型嵌入网络在形状数据上学习",
    ),
    "loss.embed.intro": (
        "A small CNN maps each 28x28 shapes picture to a point in the plane and trains in the background (200 steps of 32 triplets, Adam). With the triplet loss the classes separate into clusters. The article {article} (TCNN) instead adds a triplet-network regulariser to the classification loss: L = R + α·L₁ − β·L₂, R the classification loss, L₁ = ½‖f(p₁) − f(p₂)‖² for two pictures of one class, L₂ = ½ minᵢ ‖f(n) − f(pᵢ)‖² for a picture of another class. Every part is measured on every logged batch, whichever objective trains.",
        "一个小型 CNN 把每张 28x28 的形状图片映射到平面上的一个点,在后台训练(200 步,每步 32 个三元组,Adam)。用三元组损失时,各类别会分成一簇一簇。文章 {article}(TCNN)则在分类损失上加了一个三元组网络正则项:L = R + α·L₁ − β·L₂,R 是分类损失,L₁ = ½‖f(p₁) − f(p₂)‖² 是同类两张图片的特征距离,L₂ = ½ minᵢ ‖f(n) − f(pᵢ)‖² 是异类图片的距离。无论训练哪个目标,每个记录的批次都会测量所有部分。",
    ),
    "loss.embed.objective": ("Objective", "训练目标"),
    "loss.embed.obj.triplet": ("triplet loss", "三元组损失"),
    "loss.embed.obj.tcnn": ("TCNN: R + α·L₁ − β·L₂", "TCNN:R + α·L₁ − β·L₂"),
    "loss.embed.start": ("Train in the background", "在后台训练"),
    "loss.embed.trained.triplet": (
        "Step {step}: this run minimises the triplet loss ({triplet}); the TCNN line above is measured on the same batch, not trained.",
        "第 {step} 步:本次训练最小化三元组损失({triplet});上面的 TCNN 式子是在同一批次上测量的,并未参与训练。",
    ),
    "loss.embed.trained.tcnn": (
        "Step {step}: this run minimises L = {loss}; the triplet loss on the same batch is {triplet}.",
        "第 {step} 步:本次训练最小化 L = {loss};同一批次上的三元组损失为 {triplet}。",
    ),
    "loss.embed.notice": (
        "Triplet loss stops pushing once a triplet satisfies the margin, so the clusters settle. The TCNN objective has no such stop: −β·L₂ keeps rewarding pushing other classes further away, so L₂ grows without bound (raise β to see it run away) while R and L₁ fall; the article chooses α and β by experiment.",
        "三元组一旦满足间隔,三元组损失就不再推动它,所以各簇会稳定下来。TCNN 目标没有这样的停止点:−β·L₂ 会一直奖励把其他类别推得更远,所以 L₂ 无限增长(调大 β 就能看到它失控),而 R 和 L₁ 在下降;文章中的 α 和 β 是通过实验选定的。",
    ),
    "loss.tcnn.loss": ("trained objective", "训练的目标"),
    "loss.tcnn.r": ("R (cross-entropy)", "R(交叉熵)"),
    "loss.tcnn.l1": ("L₁ (same class)", "L₁(同类)"),
    "loss.tcnn.l2": ("L₂ (other class)", "L₂(异类)"),
    "loss.tcnn.triplet": ("triplet loss", "三元组损失"),
    # ---- figures ----
    "loss.viz.softmax": (
        "softmax(z / T), T = {temperature}; true class {target}",
        "softmax(z / T),T = {temperature};真实类别 {target}",
    ),
    "loss.viz.class": ("class", "类别"),
    "loss.viz.curves": (
        "Loss against the true class's probability (log scale)",
        "损失随真实类别概率的变化(对数坐标)",
    ),
    "loss.viz.p_true": ("predicted probability of the true class", "真实类别的预测概率"),
    "loss.viz.loss": ("loss", "损失"),
    "loss.viz.step": ("step", "步数"),
    "loss.viz.embedding": ("2-D embedding at step {step}", "第 {step} 步的二维嵌入"),
    "loss.viz.tcnn": (
        "The parts of the objective, per logged step",
        "目标函数的各个部分(每个记录步)",
    ),
}
