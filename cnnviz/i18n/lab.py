"""Strings of the Overfitting lab: diagnosis, remedies, scenarios, compare view, sweep, ensembles."""

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- page
    "lab.title": ("Overfitting lab", "过拟合实验室"),
    "lab.intro": (
        "Provoke overfitting and underfitting on the built-in shapes data in under a minute, see them in the curves, let the lab diagnose them, then cure them with one click.",
        "在内置的形状数据上,一分钟内就能制造出过拟合和欠拟合:在曲线里看到它们,让实验室给出诊断,再一键尝试治疗。",
    ),
    "lab.concepts.title": ("What are overfitting and underfitting?", "什么是过拟合和欠拟合?"),
    "lab.concepts.body": (
        "**Overfitting**: the model learns its training images too thoroughly, noise included, so it does well on them and badly on new images. In the curves: training loss keeps falling while validation loss turns upwards, and training accuracy pulls away from validation accuracy.\n\n"
        "**Underfitting**: the model does not even capture the features of its training images (too small, too constrained, or not trained long enough). In the curves: both losses stay high and flatten early.\n\n"
        "**Cures for overfitting**: more data, data augmentation (shift, rotate, flip), L2 regularisation (weight decay) or L1 regularisation, dropout, early stopping, an ensemble of models, a smaller model. **Cures for underfitting**: a larger model (wider or deeper), training longer, less regularisation.\n\n"
        "Careful: some articles list L1/L2 regularisation as a cure for underfitting. It is the opposite: a penalty restricts the model, which helps against overfitting and makes underfitting worse.",
        "**过拟合**:模型把训练图像学得太“透”,连其中的噪声也记住了,于是在训练图像上表现很好,在新图像上却很差。曲线上的表现:训练损失一直下降,验证损失却掉头向上,训练准确率和验证准确率之间拉开差距。\n\n"
        "**欠拟合**:模型连训练图像的特征都没有学到(模型太小、约束太强或训练不够久)。曲线上的表现:两条损失曲线都停在较高的位置,而且很早就变平。\n\n"
        "**过拟合的对策**:更多数据、数据增强(平移、旋转、翻转)、L2 正则化(权重衰减)或 L1 正则化、Dropout、早停、模型集成、更小的模型。**欠拟合的对策**:更大的模型(更宽或更深)、训练更久、减弱正则化。\n\n"
        "注意:有些文章把 L1/L2 正则化列为解决欠拟合的方法,其实恰恰相反:惩罚项会限制模型,它能缓解过拟合,却会让欠拟合更严重。",
    ),
    "lab.tab.scenarios": ("Guided scenarios", "引导实验"),
    "lab.tab.experiment": ("Your experiment", "自己做实验"),
    "lab.tab.compare": ("Compare runs", "比较运行"),
    "lab.tab.sweep": ("Capacity sweep", "容量扫描"),
    "lab.tab.regularisation": ("L1 / L2 made visible", "L1/L2 可视化"),
    "lab.tab.ensemble": ("Ensemble", "模型集成"),
    "lab.data_note": (
        "All lab runs use the built-in shapes data (28x28, 6 classes) and the same {val} validation images, so their curves can be compared.",
        "实验室的所有运行都使用内置形状数据(28x28,6 类)和同一组 {val} 张验证图像,因此它们的曲线可以直接比较。",
    ),
    # ---- verdicts and the numbers behind them
    "lab.verdict.overfitting": ("Overfitting", "过拟合"),
    "lab.verdict.underfitting": ("Underfitting", "欠拟合"),
    "lab.verdict.good_fit": ("Good fit", "拟合良好"),
    "lab.verdict.still_improving": ("Still improving", "仍在改善"),
    "lab.verdict.title": ("Diagnosis: {verdict}", "诊断:{verdict}"),
    "lab.verdict_why.overfitting": (
        "The model fits its training images much better than new ones: it memorises the training set instead of learning the shapes.",
        "模型对训练图像的拟合远好于对新图像:它在死记训练集,而不是学会识别形状。",
    ),
    "lab.verdict_why.underfitting": (
        "The model does not even fit the images it trains on: it is too small, too constrained, or has not trained long enough.",
        "模型连训练用的图像都拟合不好:模型太小、约束太强,或者训练得不够久。",
    ),
    "lab.verdict_why.good_fit": (
        "Training and validation agree and the validation loss has settled: the model learned what carries over to new images.",
        "训练和验证结果一致,验证损失也已稳定:模型学到的是能推广到新图像的规律。",
    ),
    "lab.verdict_why.still_improving": (
        "The validation loss is still falling: train longer before judging.",
        "验证损失仍在下降:先多训练一会儿再下结论。",
    ),
    "lab.diag.diverged": (
        "The loss became NaN or exploded: the run diverged.",
        "损失变成了 NaN 或急剧增大:这次运行发散了。",
    ),
    "lab.diag.acc": (
        "Final accuracy: training {train:.1f}%, validation {val:.1f}% (gap {gap:.1f} points).",
        "最终准确率:训练 {train:.1f}%,验证 {val:.1f}%(差距 {gap:.1f} 个百分点)。",
    ),
    "lab.diag.loss": (
        "Final loss: training {train:.3f}, validation {val:.3f}.",
        "最终损失:训练 {train:.3f},验证 {val:.3f}。",
    ),
    "lab.diag.best_last_settled": (
        "Validation loss is lowest at the last epoch ({epoch}, {loss:.3f}), but only {pct:.1f}% below its low before the last {window} epochs: it has settled.",
        "验证损失在最后一轮(第 {epoch} 轮,{loss:.3f})最低,但只比最近 {window} 轮之前的最低点低 {pct:.1f}%:它已经稳定了。",
    ),
    "lab.diag.acc_kept": (
        "Accuracy of the kept weights (epoch {epoch}, restored by early stopping): training {train:.1f}%, validation {val:.1f}% (gap {gap:.1f} points).",
        "保留的权重(第 {epoch} 轮,由早停恢复)的准确率:训练 {train:.1f}%,验证 {val:.1f}%(差距 {gap:.1f} 个百分点)。",
    ),
    "lab.diag.loss_kept": (
        "Loss of the kept weights (epoch {epoch}): training {train:.3f}, validation {val:.3f}.",
        "保留的权重(第 {epoch} 轮)的损失:训练 {train:.3f},验证 {val:.3f}。",
    ),
    "lab.diag.improving": (
        "Over the last {window} epochs the validation loss fell {trend:.0f}% per epoch, to a new low {gain:.0f}% below every epoch before them.",
        "最近 {window} 轮验证损失每轮下降 {trend:.0f}%,达到新的最低点,比之前所有轮次低 {gain:.0f}%。",
    ),
    "lab.diag.early_stopping_guards": (
        "Early stopping is on and did not end this run: a longer run is safe, it ends by itself once the validation loss stops improving.",
        "早停已开启,但没有结束这次训练:训练更久是安全的,验证损失不再改善时它会自动停止。",
    ),
    "lab.diag.best": (
        "Validation loss was lowest at epoch {epoch} ({loss:.3f}) and rose by {rise:.3f} ({pct:.0f}%) after it.",
        "验证损失在第 {epoch} 轮最低({loss:.3f}),之后上升了 {rise:.3f}({pct:.0f}%)。",
    ),
    "lab.diag.best_last": (
        "Validation loss is lowest at the last epoch ({epoch}, {loss:.3f}): it has not started to rise.",
        "验证损失在最后一轮(第 {epoch} 轮,{loss:.3f})最低:还没有开始上升。",
    ),
    "lab.diag.thresholds": (
        "Rules: underfitting if training and validation accuracy are both below {under:.0f}%; overfitting if training accuracy is at least {gap:.0f} points above validation, or validation loss rose at least {rise:.0f}% above its minimum while training stays ahead; still improving if over the last 3 epochs validation loss falls by {improving:.0f}% or more per epoch to a new low at least {improving:.0f}% below every earlier epoch; otherwise a good fit. When early stopping ended the run, the weights it kept (the best epoch) are judged.",
        "判定规则:训练和验证准确率都低于 {under:.0f}% 为欠拟合;训练准确率比验证高至少 {gap:.0f} 个百分点,或验证损失比最低点上升至少 {rise:.0f}% 且训练仍领先,为过拟合;最近 3 轮验证损失每轮下降 {improving:.0f}% 或更多,并达到比之前所有轮次低至少 {improving:.0f}% 的新低,为仍在改善;其余为拟合良好。如果早停结束了训练,则评判它保留的权重(最佳一轮)。",
    ),
    # ---- remedies (buttons: each sets up and starts the next run)
    "lab.remedies.title": ("Try a remedy", "试一种对策"),
    "lab.remedies.caption": (
        "Each button changes one setting of this run and starts the next run right away; compare them in the Compare runs tab.",
        "每个按钮只改变这次运行的一项设置,并立刻开始下一次运行;可以在“比较运行”标签页里对比结果。",
    ),
    "lab.remedies.none": (
        "Nothing to cure. You can still try an ensemble or more data.",
        "没有需要治疗的问题。你仍然可以试试模型集成或更多数据。",
    ),
    "lab.remedy.more_data": ("More data (2x images)", "更多数据(图像数 ×2)"),
    "lab.remedy.more_data.why": (
        "More examples make memorising harder and the true pattern easier to see.",
        "样本越多,死记硬背越难,真正的规律越容易显现。",
    ),
    "lab.remedy.augment": ("Augment (shift, rotate, flip)", "数据增强(平移、旋转、翻转)"),
    "lab.remedy.augment.why": (
        "Random shifts, rotations and mirror images give new variants of every training image each epoch.",
        "每一轮都对训练图像随机平移、旋转、镜像,相当于得到新的变体。",
    ),
    "lab.remedy.dropout": ("Add dropout 0.5", "加入 Dropout 0.5"),
    "lab.remedy.dropout.why": (
        "Randomly silencing half of the features stops units from relying on each other; like training many thinned networks at once.",
        "随机屏蔽一半特征,使神经元不能互相依赖;相当于同时训练许多“变瘦”的网络。",
    ),
    "lab.remedy.weight_decay": ("Weight decay 0.05 (AdamW)", "权重衰减 0.05(AdamW)"),
    "lab.remedy.weight_decay.why": (
        "Decoupled weight decay, as AdamW does it: after every step each weight is multiplied by (1 − lr × 0.05), so every weight shrinks by the same small fraction, whatever its gradients, and the model stays simpler.",
        "解耦的权重衰减(AdamW 的做法):每一步之后,每个权重都乘以 (1 − 学习率 × 0.05),所以无论梯度如何,所有权重都按相同的小比例缩小,模型保持更简单。",
    ),
    "lab.remedy.l1": ("L1 penalty 1e-4", "L1 惩罚 1e-4"),
    "lab.remedy.l1.why": (
        "Adds the sum of absolute weights to the loss: many weights are pushed to zero, a sparser model.",
        "把权重绝对值之和加到损失里:许多权重被推向零,模型更稀疏。",
    ),
    "lab.remedy.early_stop": ("Stop early", "早停"),
    "lab.remedy.early_stop.why": (
        "Stop when the validation loss has not improved for 8 epochs and keep the best weights.",
        "验证损失连续 8 轮没有改善就停止,并保留最好的权重。",
    ),
    "lab.remedy.smaller": ("Halve the width", "宽度减半"),
    "lab.remedy.smaller.why": (
        "Fewer channels and hidden units: less capacity to memorise.",
        "更少的通道和隐藏单元:记忆训练集的能力更弱。",
    ),
    "lab.remedy.ensemble": ("Train another member (next seed)", "再训练一个成员(下一个随机种子)"),
    "lab.remedy.ensemble.why": (
        "The same setup with another seed, weights kept: average several such models in the Ensemble tab.",
        "同样的设置换一个随机种子并保留权重:可在“模型集成”标签页里把几个这样的模型平均起来。",
    ),
    "lab.remedy.wider": ("Double the width", "宽度加倍"),
    "lab.remedy.wider.why": (
        "Twice the channels and hidden units: more capacity to represent the shapes.",
        "通道和隐藏单元加倍:更强的表示能力。",
    ),
    "lab.remedy.deeper": ("One more conv block", "多加一个卷积块"),
    "lab.remedy.deeper.why": (
        "Another conv + ReLU + pooling block: features built on features.",
        "再加一个 卷积 + ReLU + 池化 块:在特征之上再提取特征。",
    ),
    "lab.remedy.batch_norm": ("Add batch norm", "加入批归一化"),
    "lab.remedy.batch_norm.why": (
        "Normalising each channel over the batch makes training faster and more stable.",
        "在批次内对每个通道做归一化,训练更快、更稳定。",
    ),
    "lab.remedy.longer": ("Train 2x longer", "训练时间加倍"),
    "lab.remedy.longer.why": (
        "Twice the epochs: the curves had not settled yet.",
        "训练轮数加倍:曲线还没有稳定下来。",
    ),
    "lab.remedy.less_regularisation": ("Weaker regularisation", "减弱正则化"),
    "lab.remedy.less_regularisation.why": (
        "Dropout halved, weight decay and L1 divided by 10: the penalties were holding the model back.",
        "Dropout 减半,权重衰减和 L1 除以 10:惩罚项把模型束缚得太紧了。",
    ),
    "lab.remedy.higher_lr": ("Learning rate x3", "学习率 ×3"),
    "lab.remedy.higher_lr.why": (
        "Bigger steps: learning was too slow.",
        "步子迈大一些:学得太慢了。",
    ),
    "lab.remedy.lower_lr": ("Learning rate ÷10", "学习率 ÷10"),
    "lab.remedy.lower_lr.why": (
        "Smaller steps: the loss blew up.",
        "步子迈小一些:损失爆炸了。",
    ),
    # ---- guided scenarios
    "lab.scenario.run": ("Run scenario {number}", "运行实验 {number}"),
    "lab.scenario.look_for": ("What to look for", "注意观察"),
    "lab.scenario.ready": (
        "Opened from a lesson: this scenario is ready to run.",
        "从课程中打开:这个实验已准备好,可以直接运行。",
    ),
    "lab.error.bad_scenario": (
        'The link asks for scenario "{value}", which does not exist. Scenarios: {allowed}.',
        '链接要求的实验 "{value}" 不存在。可选的实验:{allowed}。',
    ),
    "lab.scenario.setup": (
        "{n} training images · width x{width} · depth {depth} · {params} parameters · {epochs} epochs",
        "{n} 张训练图像 · 宽度 ×{width} · 深度 {depth} · {params} 个参数 · {epochs} 轮",
    ),
    "lab.scenario.overfit.title": ("1 · Overfitting", "1 · 过拟合"),
    "lab.scenario.overfit.before": (
        "Only {n} training images, a wide network and no regularisation. Watch the training loss fall to almost zero and training accuracy reach 100%, while the validation loss bottoms out after a dozen epochs and then climbs: the dashed and solid lines drift apart.",
        "只有 {n} 张训练图像,一个很宽的网络,没有任何正则化。观察:训练损失几乎降到零,训练准确率达到 100%;而验证损失在十几轮后触底,然后开始上升——虚线和实线越离越远。",
    ),
    "lab.scenario.overfit.after": (
        "The network memorised its {n} images: training accuracy {train:.0f}%, validation {val:.0f}%, a {gap:.0f}-point gap. Validation loss was lowest at epoch {best} and rose {pct:.0f}% after it: every epoch after that made the model worse on new images. Try the remedies below, or run scenario 3.",
        "网络记住了它的 {n} 张图像:训练准确率 {train:.0f}%,验证准确率 {val:.0f}%,相差 {gap:.0f} 个百分点。验证损失在第 {best} 轮最低,之后上升了 {pct:.0f}%:那之后的每一轮都让模型在新图像上变得更差。试试下面的对策,或者运行实验 3。",
    ),
    "lab.scenario.underfit.title": ("2 · Underfitting", "2 · 欠拟合"),
    "lab.scenario.underfit.before": (
        "The same {n} images, but a tiny network: one conv channel and four hidden units. Watch both losses flatten early at a high value; even the training accuracy stays low.",
        "同样的 {n} 张图像,但网络极小:只有一个卷积通道和四个隐藏单元。观察:两条损失曲线都很早就在较高的位置变平,连训练准确率也一直很低。",
    ),
    "lab.scenario.underfit.after": (
        "Training accuracy only reached {train:.0f}% (validation {val:.0f}%): with {params} parameters the model cannot represent six shapes, so more epochs will not help much. The cure is more capacity: a wider or deeper model.",
        "训练准确率只有 {train:.0f}%(验证 {val:.0f}%):只有 {params} 个参数的模型表示不了六种形状,多训练几轮也帮助不大。对策是增加容量:更宽或更深的模型。",
    ),
    "lab.scenario.cure.title": ("3 · The cure for 1", "3 · 治好实验 1 的过拟合"),
    "lab.scenario.cure.before": (
        "Scenario 1 again with the classic cures: data augmentation (shifts, rotations, mirror images), dropout 0.5, weight decay 0.05 (AdamW) and early stopping. Watch: training accuracy no longer reaches 100% (the task got harder on purpose), but the validation curves end visibly better.",
        "再做一次实验 1,但用上经典对策:数据增强(平移、旋转、镜像)、Dropout 0.5、权重衰减 0.05(AdamW)和早停。观察:训练准确率不再达到 100%(我们故意让任务变难了),但验证曲线的终点明显更好。",
    ),
    "lab.scenario.cure.after": (
        "Validation accuracy {val:.0f}% (training {train:.0f}%, gap {gap:.0f} points). Run scenario 1 to compare.",
        "验证准确率 {val:.0f}%(训练 {train:.0f}%,差距 {gap:.0f} 个百分点)。运行实验 1 即可对比。",
    ),
    "lab.scenario.cure.after_compare": (
        "Validation accuracy {val:.0f}% against {base:.0f}% in scenario 1 ({delta:+.0f} points), and the gap shrank from {base_gap:.0f} to {gap:.0f} points: the same network and the same {n} images, but it could no longer simply memorise them.",
        "验证准确率 {val:.0f}%,而实验 1 是 {base:.0f}%({delta:+.0f} 个百分点);差距从 {base_gap:.0f} 缩小到 {gap:.0f} 个百分点:同样的网络、同样的 {n} 张图像,只是它再也不能简单地死记了。",
    ),
    # ---- the current run panel
    "lab.run.title": ("Run: {name}", "运行:{name}"),
    "lab.run.overlay": (
        "Drawn on the same axes as the last scenario-1 run, **{base}**: the cure's validation loss "
        "against the overfitting one's.",
        "与最近一次实验 1 的运行 **{base}** 画在同一坐标轴上:对照治疗后与过拟合时的验证损失。",
    ),
    "lab.run.empty": (
        "Nothing has run yet: start a guided scenario or your own experiment.",
        "还没有运行任何实验:请启动一个引导实验,或自己设置一个实验。",
    ),
    "lab.run.queued": (
        "Waiting for a free training slot (position {position} in the queue).",
        "正在等待空闲的训练名额(排队第 {position} 位)。",
    ),
    "lab.run.progress": (
        "Epoch {epoch} of {epochs} · {seconds:.0f} s",
        "第 {epoch} / {epochs} 轮 · {seconds:.0f} 秒",
    ),
    "lab.run.stop": ("Stop", "停止"),
    "lab.run.busy": (
        "A lab run is in progress; wait for it to finish or stop it first.",
        "实验室正在运行一个任务;请等它结束,或先停止它。",
    ),
    "lab.run.failed": ("The run failed: {error}", "运行失败:{error}"),
    "lab.run.stopped": (
        "The run was stopped after {epochs} epochs.",
        "运行在第 {epochs} 轮后被停止。",
    ),
    "lab.run.no_epochs": (
        "The run ended before finishing an epoch: nothing to diagnose.",
        "运行在完成第一轮之前就结束了:没有可诊断的内容。",
    ),
    "lab.run.early_stopped": (
        "Early stopping ended the run at epoch {epoch} and restored the weights of epoch {best}.",
        "早停在第 {epoch} 轮结束了训练,并恢复了第 {best} 轮的权重。",
    ),
    "lab.run.data_error": ("The data could not be loaded: {error}", "无法加载数据:{error}"),
    # ---- your experiment
    "lab.exp.intro": (
        "Set up a run yourself. Everything trains on the CPU in seconds to a minute; the diagnosis appears above when it ends.",
        "自己设置一次运行。所有训练都在 CPU 上进行,几秒到一分钟即可完成;结束后诊断结果会显示在上方。",
    ),
    "lab.exp.data": ("Data", "数据"),
    "lab.exp.model": ("Model capacity", "模型容量"),
    "lab.exp.regularisation": ("Regularisation", "正则化"),
    "lab.exp.training": ("Training", "训练"),
    "lab.ctl.train_size": ("Training images", "训练图像数"),
    "lab.ctl.train_size.help": (
        "How many of the 960 training images to use. Few images make memorising easy.",
        "使用 960 张训练图像中的多少张。图像越少,越容易死记硬背。",
    ),
    "lab.ctl.label_noise": ("Label noise", "标签噪声"),
    "lab.ctl.label_noise.help": (
        "Fraction of training labels replaced by a wrong class. A model that fits them is fitting noise.",
        "训练标签中被换成错误类别的比例。能拟合这些标签的模型是在拟合噪声。",
    ),
    "lab.ctl.width": ("Width multiplier", "宽度倍数"),
    "lab.ctl.width.help": (
        "Scales the channels of every conv block (8, 16, 32... at x1) and the hidden units (32 at x1). Parameters grow with the square of the width.",
        "按比例放大每个卷积块的通道数(×1 时为 8、16、32……)和隐藏单元数(×1 时为 32)。参数量随宽度的平方增长。",
    ),
    "lab.ctl.depth": ("Conv blocks (depth)", "卷积块数(深度)"),
    "lab.ctl.depth.help": (
        "Each block: conv 3x3 + ReLU + max pooling 2x2.",
        "每个块:3x3 卷积 + ReLU + 2x2 最大池化。",
    ),
    "lab.ctl.dropout": ("Dropout", "Dropout 比例"),
    "lab.ctl.dropout.help": (
        "Probability of zeroing each feature before the hidden layer during training (0 = off).",
        "训练时在隐藏层之前把每个特征置零的概率(0 表示关闭)。",
    ),
    "lab.ctl.weight_decay": ("Weight decay (AdamW)", "权重衰减(AdamW)"),
    "lab.ctl.weight_decay.help": (
        "Decoupled weight decay: the lab trains with AdamW, which multiplies every weight by (1 − lr × weight decay) after each step (with 0 it is plain Adam). Try 0.05.",
        "解耦的权重衰减:实验室用 AdamW 训练,每一步之后把每个权重乘以 (1 − 学习率 × 权重衰减)(为 0 时就是普通的 Adam)。可以试试 0.05。",
    ),
    "lab.ctl.l1": ("L1 penalty", "L1 惩罚"),
    "lab.ctl.l1.help": (
        "Adds l1 x sum |w| to the loss, pushing weights to zero. Try 1e-4.",
        "在损失上加上 l1 × Σ|w|,把权重推向零。可以试试 1e-4。",
    ),
    "lab.ctl.batch_norm": ("Batch norm after each conv", "每个卷积后加批归一化"),
    "lab.ctl.augment": ("Data augmentation", "数据增强"),
    "lab.ctl.augment.help": (
        "Shift up to 3 px, rotate up to 15 degrees, mirror left-right, fresh every epoch.",
        "每一轮重新随机:平移最多 3 像素、旋转最多 15 度、左右镜像。",
    ),
    "lab.ctl.early_stopping": ("Early stopping", "早停"),
    "lab.ctl.early_stopping.help": (
        "Stop when validation loss has not improved for 8 epochs; keep the best weights.",
        "验证损失连续 8 轮没有改善就停止;保留最好的权重。",
    ),
    "lab.ctl.epochs": ("Epochs", "训练轮数"),
    "lab.ctl.lr": ("Learning rate (Adam)", "学习率(Adam)"),
    "lab.ctl.seed": ("Seed", "随机种子"),
    "lab.ctl.seed.help": (
        "Same seed, same run: initial weights, shuffling, dropout and augmentation are all seeded.",
        "相同的种子得到相同的运行:初始权重、打乱顺序、Dropout 和数据增强都由种子决定。",
    ),
    "lab.ctl.keep_weights": ("Keep the trained weights", "保留训练好的权重"),
    "lab.ctl.keep_weights.help": (
        "Needed for the ensemble; uses some memory.",
        "模型集成需要它;会占用一些内存。",
    ),
    "lab.exp.params": (
        "This network has {params} parameters for {n} training images ({ratio:.0f} parameters per image).",
        "这个网络有 {params} 个参数,训练图像 {n} 张(每张图像约 {ratio:.0f} 个参数)。",
    ),
    "lab.exp.train": ("Train this setup", "按此设置训练"),
    "lab.exp.invalid": ("This setup is not valid: {error}", "这个设置无效:{error}"),
    "lab.exp.from_run": (
        "The controls now hold the setup of “{name}” with one change: {remedy}.",
        "控件已载入“{name}”的设置,只改动了一处:{remedy}。",
    ),
    # ---- run names (data: stored with the run)
    "lab.name.scenario": ("Scenario {title}", "实验 {title}"),
    "lab.name.run": ("Lab run {number}", "实验室运行 {number}"),
    "lab.name.remedy": ("{base} + {remedy}", "{base}+{remedy}"),
    "lab.name.rerun": ("{name} (re-run)", "{name}(重跑)"),
    "lab.name.member": ("Member seed {seed}", "成员(种子 {seed})"),
    "lab.name.sweep": ("Sweep width x{width}", "容量扫描 宽度 ×{width}"),
    "lab.name.reg": ("Penalty: {label}", "惩罚项:{label}"),
    # ---- compare view
    "lab.cmp.intro": (
        "Every run of this session (lab and Train page). Dashed: training; solid: validation; the star marks the epoch with the lowest validation loss. The legend says how the runs differ.",
        "本次会话的所有运行(实验室和“实时训练”页)。虚线是训练,实线是验证;星号标出验证损失最低的那一轮。图例说明各次运行的设置差别。",
    ),
    "lab.cmp.empty": (
        "No runs yet. Run a scenario, your own experiment, or train on the Train live page.",
        "还没有运行记录。请运行一个实验、自己设置一个实验,或在“实时训练”页训练。",
    ),
    "lab.cmp.select": ("Runs to compare", "要比较的运行"),
    "lab.cmp.table": ("Runs", "运行列表"),
    "lab.cmp.manage": ("Rename, delete, re-run", "重命名、删除、重跑"),
    "lab.cmp.pick": ("Run", "运行"),
    "lab.cmp.new_name": ("New name", "新名称"),
    "lab.cmp.rename": ("Rename", "重命名"),
    "lab.cmp.delete": ("Delete", "删除"),
    "lab.cmp.rerun": ("Re-run with the same seed", "用相同种子重跑"),
    "lab.cmp.load_setup": ("Load into Your experiment", "载入到“自己做实验”"),
    "lab.cmp.loaded": (
        "The setup of “{name}” is now in Your experiment.",
        "“{name}”的设置已载入“自己做实验”。",
    ),
    "lab.cmp.no_setup": (
        "This run did not come from the lab: re-run it as it is.",
        "这次运行不是来自实验室:只能按原样重跑。",
    ),
    "lab.cmp.no_upload_rerun": (
        "Runs on uploaded images cannot be re-run here (the zip is not kept); re-run them on the Train live page.",
        "基于上传图像的运行无法在这里重跑(没有保存 zip 文件);请到“实时训练”页重跑。",
    ),
    "lab.cmp.export": ("Export and import", "导出和导入"),
    "lab.cmp.export_csv": ("Download CSV (one row per epoch)", "下载 CSV(每轮一行)"),
    "lab.cmp.export_json": (
        "Download JSON (everything but the weights)",
        "下载 JSON(除权重外的全部内容)",
    ),
    "lab.cmp.import": ("Import runs from a JSON export", "从导出的 JSON 导入运行"),
    "lab.cmp.imported": ("Imported {count} runs.", "已导入 {count} 次运行。"),
    "lab.cmp.loss": ("Loss", "损失"),
    "lab.cmp.accuracy": ("Accuracy", "准确率"),
    "lab.col.name": ("Run", "运行"),
    "lab.col.verdict": ("Diagnosis", "诊断"),
    "lab.col.train_acc": ("Train acc. (%)", "训练准确率 (%)"),
    "lab.col.val_acc": ("Val. acc. (%)", "验证准确率 (%)"),
    "lab.col.best_epoch": ("Best epoch", "最佳轮次"),
    "lab.col.val_loss": ("Val. loss", "验证损失"),
    "lab.col.epochs": ("Epochs", "轮数"),
    "lab.col.seconds": ("s / epoch", "秒/轮"),
    "lab.col.settings": ("Differs in", "设置差别"),
    "lab.col.weights": ("Weights kept", "已保留权重"),
    "lab.yes": ("yes", "是"),
    "lab.no": ("no", "否"),
    # ---- chart text
    "lab.axis.epoch": ("Epoch", "轮次"),
    "lab.axis.loss": ("Cross-entropy loss", "交叉熵损失"),
    "lab.axis.accuracy": ("Accuracy (%)", "准确率 (%)"),
    "lab.legend.train": ("train", "训练"),
    "lab.legend.val": ("validation", "验证"),
    "lab.legend.best": ("lowest validation loss", "验证损失最低点"),
    "lab.hover.epoch": ("epoch", "轮次"),
    "lab.hover.seconds": ("s/epoch", "秒/轮"),
    # ---- settings in legends ("dropout 0.5, wd 5e-4")
    "lab.set.dataset": ("data", "数据"),
    "lab.set.train_size": ("n", "图像数"),
    "lab.set.label_noise": ("label noise", "标签噪声"),
    "lab.set.net": ("net", "网络"),
    "lab.set.batch_norm": ("BN", "BN"),
    "lab.set.dropout": ("dropout", "Dropout"),
    "lab.set.optimizer": ("opt", "优化器"),
    "lab.set.lr": ("lr", "学习率"),
    "lab.set.batch_size": ("batch", "批大小"),
    "lab.set.epochs": ("epochs", "轮数"),
    "lab.set.weight_decay": ("wd", "权重衰减"),
    "lab.set.l1": ("L1", "L1"),
    "lab.set.augment": ("augment", "增强"),
    "lab.set.early_stopping": ("early stop", "早停"),
    "lab.set.schedule": ("schedule", "学习率策略"),
    "lab.set.label_smoothing": ("smoothing", "标签平滑"),
    "lab.set.init": ("init", "初始化"),
    "lab.set.seed": ("seed", "种子"),
    "lab.on": ("on", "开"),
    "lab.off": ("off", "关"),
    "lab.all": ("all", "全部"),
    "lab.same_settings": ("same settings", "设置相同"),
    # ---- capacity sweep
    "lab.sweep.intro": (
        "Train the same small noisy training set with networks of increasing width, then plot the final training and validation error against the number of parameters. Small networks underfit (both errors high); as capacity grows the training error falls to zero, and the validation error first falls, then rises again once the extra capacity is spent memorising the wrong labels: the classic U.",
        "用宽度逐渐增大的网络训练同一个带噪声的小训练集,然后画出最终训练误差和验证误差随参数量的变化。小网络欠拟合(两种误差都高);随着容量增大,训练误差降到零,而验证误差先下降,当多出来的容量被用来记忆错误标签时又重新上升:这就是经典的 U 形曲线。",
    ),
    "lab.sweep.setup": (
        "{n} training images with {noise:.0f}% wrong labels · widths {widths} · {epochs} epochs each, seed {seed} · under {minutes} minute(s) on a CPU",
        "{n} 张训练图像,其中 {noise:.0f}% 标签错误 · 宽度 {widths} · 每个 {epochs} 轮,种子 {seed} · 在 CPU 上不到 {minutes} 分钟",
    ),
    "lab.sweep.run": ("Run the capacity sweep", "运行容量扫描"),
    "lab.multi.progress": (
        "Training {label} ({index} of {total}) · {seconds:.0f} s",
        "正在训练 {label}(第 {index} / {total} 个) · {seconds:.0f} 秒",
    ),
    "lab.sweep.axis_x": ("Parameters (log scale)", "参数量(对数刻度)"),
    "lab.sweep.axis_y": ("Error (%)", "误差 (%)"),
    "lab.sweep.train_err": ("training error", "训练误差"),
    "lab.sweep.val_err": ("validation error", "验证误差"),
    "lab.sweep.best": ("lowest validation error", "验证误差最低"),
    "lab.sweep.hover": ("width x{width}", "宽度 ×{width}"),
    "lab.sweep.after_u": (
        "Lowest validation error {best:.0f}% at width x{width} ({params} parameters). Smaller networks underfit (up to {left:.0f}%), larger ones overfit: training error {train:.0f}% but validation error back up to {right:.0f}%.",
        "验证误差最低为 {best:.0f}%,出现在宽度 ×{width}({params} 个参数)。更小的网络欠拟合(最高 {left:.0f}%),更大的网络过拟合:训练误差 {train:.0f}%,验证误差却回升到 {right:.0f}%。",
    ),
    "lab.sweep.after_flat": (
        "Lowest validation error {best:.0f}% at width x{width} ({params} parameters); the largest network gets {right:.0f}% with a training error of {train:.0f}%. This time the validation error did not rise again at the larger widths, so this sweep shows no U: wide CNNs often keep generalising even after they fit every training label. Try more label noise or fewer images.",
        "验证误差最低为 {best:.0f}%,出现在宽度 ×{width}({params} 个参数);最大的网络验证误差 {right:.0f}%,训练误差 {train:.0f}%。这次在更大的宽度上验证误差没有回升,所以这次扫描没有出现 U 形:很宽的卷积网络即使记住了所有训练标签,往往仍能泛化。试试更多的标签噪声或更少的图像。",
    ),
    # ---- regularisation made visible
    "lab.reg.intro": (
        "Three runs of the same network that differ only in their penalty: none, L2 (weight decay) and L1. L2 shrinks all weights towards zero a little; L1 pushes many weights to (almost) exactly zero, a sparse model.",
        "三次运行使用同一个网络,唯一的区别是惩罚项:无、L2(权重衰减)和 L1。L2 让所有权重都向零收缩一点;L1 则把许多权重推到(几乎)正好为零,得到稀疏的模型。",
    ),
    "lab.reg.run": ("Train the three runs", "训练这三次运行"),
    "lab.reg.setup": (
        "Width x{width}, {n} training images, {epochs} epochs, SGD with momentum (lr {lr}); L2 weight decay {wd}, L1 {l1}. SGD on purpose: with SGD, weight decay λ is exactly the L2 penalty (λ/2)·Σw² in the loss, so the textbook contrast shows cleanly. Under Adam, an L2 penalty's pull on each weight is divided by that weight's own gradient history, so weights with large past gradients are regularised less than the others; AdamW decouples the decay from that rescaling for this reason (Loshchilov & Hutter, 2019).",
        "宽度 ×{width},{n} 张训练图像,{epochs} 轮,带动量的 SGD(学习率 {lr});L2 权重衰减 {wd},L1 {l1}。这里特意用 SGD:对 SGD 来说,权重衰减 λ 恰好等于在损失中加入 L2 惩罚 (λ/2)·Σw²,课本上的对比能清楚地显现。在 Adam 中,L2 惩罚对每个权重的拉力会被该权重自己的历史梯度大小相除,因此过去梯度大的权重受到的正则化比其他权重弱;AdamW 正是为此把权重衰减与这种缩放解耦(Loshchilov 和 Hutter,2019)。",
    ),
    "lab.reg.none": ("no penalty", "无惩罚"),
    "lab.reg.l2": ("L2", "L2"),
    "lab.reg.l1": ("L1", "L1"),
    "lab.reg.legend": (
        "{label}: {zero:.0f}% near zero",
        "{label}:{zero:.0f}% 接近零",
    ),
    "lab.reg.axis_x": ("Weight value", "权重值"),
    "lab.reg.axis_y": ("Share of weights (%)", "权重占比 (%)"),
    "lab.reg.metric_zero": ("{label}: weights with |w| < {tol}", "{label}:|w| < {tol} 的权重"),
    "lab.reg.metric_val": ("val. acc. {acc:.0f}%", "验证准确率 {acc:.0f}%"),
    "lab.reg.after": (
        "With L1, {l1:.0f}% of the weights are within {tol} of zero, against {none:.0f}% without a penalty and {l2:.0f}% with L2: L1 switches connections off, L2 only makes them smaller.",
        "使用 L1 时,{l1:.0f}% 的权重与零的距离小于 {tol};不加惩罚时是 {none:.0f}%,使用 L2 时是 {l2:.0f}%:L1 会把连接直接关掉,L2 只是让它们变小。",
    ),
    # ---- ensemble
    "lab.ens.intro": (
        "Average the predicted probabilities of several trained models and compare the ensemble's validation accuracy with each member's. Their mistakes differ, so averaging cancels some of them out.",
        "把几个训练好的模型的预测概率取平均,并把集成模型的验证准确率与每个成员比较。各个模型犯的错不同,平均之后能相互抵消一部分。",
    ),
    "lab.ens.train": (
        "Train {count} members of the current experiment (seeds {seeds})",
        "用当前实验设置训练 {count} 个成员(种子 {seeds})",
    ),
    "lab.ens.pick": ("Members (runs with kept weights)", "成员(已保留权重的运行)"),
    "lab.ens.none": (
        "No run has kept weights yet. Train members with the button, or tick “Keep the trained weights” in Your experiment.",
        "还没有保留权重的运行。请用按钮训练成员,或在“自己做实验”中勾选“保留训练好的权重”。",
    ),
    "lab.ens.need_two": ("Choose at least two members.", "请至少选择两个成员。"),
    "lab.ens.incompatible": (
        "These runs were not evaluated on the same validation images (or have different inputs/outputs); choose runs from the lab or from the same dataset.",
        "这些运行使用的验证图像不同(或输入/输出不同);请选择来自实验室或同一数据集的运行。",
    ),
    "lab.ens.axis_y": ("Validation accuracy (%)", "验证准确率 (%)"),
    "lab.ens.ensemble": ("Ensemble (average)", "集成(平均)"),
    "lab.ens.after": (
        "The ensemble reaches {ensemble:.1f}% against {best:.1f}% for its best member and {mean:.1f}% on average.",
        "集成模型达到 {ensemble:.1f}%,最好的成员为 {best:.1f}%,成员平均为 {mean:.1f}%。",
    ),
    # ---- history errors
    "lab.error.no_such_run": ("There is no run number {index}.", "不存在第 {index} 次运行。"),
    "lab.error.empty_name": ("Enter a name.", "请输入名称。"),
    "lab.error.long_name": (
        "Use a name of at most {maximum} characters.",
        "名称最多 {maximum} 个字符。",
    ),
    "lab.error.duplicate_name": (
        "Another run is already called “{name}”; choose another name.",
        "已有一次运行叫“{name}”;请换一个名称。",
    ),
    "lab.error.too_big": (
        "The file is too big; import at most {maximum} MB.",
        "文件太大;最多导入 {maximum} MB。",
    ),
    "lab.error.not_utf8": (
        "The file is not UTF-8 text; upload a JSON export of cnnviz runs.",
        "该文件不是 UTF-8 文本;请上传 cnnviz 导出的运行 JSON 文件。",
    ),
    "lab.error.not_json": (
        "The file is not valid JSON (line {line}, column {column}).",
        "该文件不是有效的 JSON(第 {line} 行,第 {column} 列)。",
    ),
    "lab.error.too_deep": (
        "The file nests brackets {depth} levels deep; a run history needs at most {limit}. "
        "Export the runs again from cnnviz.",
        "该文件的括号嵌套了 {depth} 层;运行记录最多只需要 {limit} 层。请从 cnnviz 重新导出运行记录。",
    ),
    "lab.error.not_runs_file": (
        "This JSON is not a cnnviz runs export; use the “Download JSON” button to make one.",
        "这个 JSON 不是 cnnviz 导出的运行文件;请用“下载 JSON”按钮生成。",
    ),
    "lab.error.version": (
        "This export has version {version}; this app reads version {expected}.",
        "该导出文件的版本是 {version};本应用读取的是版本 {expected}。",
    ),
    "lab.error.field_type": (
        "{where} must be of type {expected}.",
        "{where} 的类型必须是 {expected}。",
    ),
    "lab.error.unknown_field": (
        "{where} has unknown field(s): {field}.",
        "{where} 含有未知字段:{field}。",
    ),
    "lab.error.missing_field": (
        "{where} is missing the field {field}.",
        "{where} 缺少字段 {field}。",
    ),
    "lab.error.bad_value": ("{where}: {error}", "{where}:{error}"),
    "lab.error.too_many": (
        "{where} has too many entries; at most {maximum}.",
        "{where} 的条目太多;最多 {maximum} 个。",
    ),
}
