"""Strings of the /inside page ("Look inside a trained network") and of cnnviz.inside."""

MESSAGES: dict[str, tuple[str, str]] = {
    "nav.inside": ("Look inside a trained network", "看看训练好的网络内部"),
    "home.card.inside": (
        "Attribution maps (saliency, Integrated Gradients, Grad-CAM, occlusion) with a sanity "
        "check, activation maximisation and the pictures that excite a channel, translation "
        "equivariance and invariance measured, theoretical and effective receptive fields, and "
        "CNN features fed to a linear SVM. Works on any network trained in this session.",
        "归因图(显著图、积分梯度、Grad-CAM、遮挡)及其合理性检验;激活最大化和最能激活某个通道的图片;"
        "实测平移等变性与平移不变性;理论感受野和有效感受野;把 CNN 特征交给线性 SVM。"
        "适用于本次会话中训练的任何网络。",
    ),
    "inside.title": ("Look inside a trained network", "看看训练好的网络内部"),
    "inside.intro": (
        "A trained network is not a black box: its gradients, its feature maps and its features "
        "can all be read. Pick a network and a picture, then explore. The translation "
        "invariance of pooling, receptive fields and CNN features fed to an SVM come from "
        "{a001}; what the learned features look like from {a002}.",
        "训练好的网络并不是黑箱:它的梯度、特征图和特征都可以读出来。先选一个网络和一张图片,再逐项探索。"
        "池化带来的平移不变性、感受野以及把 CNN 特征交给 SVM 分类,来自{a001};学到的特征长什么样,"
        "来自{a002}。",
    ),
    "inside.step.network": ("1. The network", "1. 网络"),
    "inside.step.picture": ("2. The picture", "2. 图片"),
    "inside.step.explore": ("3. Look inside", "3. 看看内部"),
    "inside.section": ("What to look at", "要看什么"),
    "inside.section.attribution": ("Attribution", "归因"),
    "inside.section.filters": ("What a filter wants to see", "卷积核想看到什么"),
    "inside.section.invariance": ("Translation invariance", "平移不变性"),
    "inside.section.receptive": ("Receptive field", "感受野"),
    "inside.section.probe": ("CNN features + a linear classifier", "CNN 特征 + 线性分类器"),
    "inside.notice": ("What to notice:", "注意观察:"),
    "inside.download": ("PNG", "PNG"),
    "inside.download_all": ("Download the nine as one PNG", "把九张图下载为一个 PNG"),
    "inside.yes": ("yes", "是"),
    "inside.no": ("no", "否"),
    "inside.need_data": (
        "This part needs the network's validation pictures, and this network's dataset is not "
        "available here. Train a network on the Train page or in the lab, or load a checkpoint "
        "of a built-in dataset.",
        "这一部分需要网络的验证集图片,而这里拿不到该网络的数据集。请在“实时训练”页面或“过拟合实验室”"
        "训练一个网络,或加载一个使用内置数据集的检查点。",
    ),
    "inside.need_picture": (
        "Choose a picture above first: a validation picture, a drawing or an uploaded file.",
        "请先在上面选一张图片:验证集图片、手绘图或上传的文件。",
    ),
    "inside.no_spatial": (
        "This network has no layer with feature maps larger than 1×1, so there is nothing to "
        "show here.",
        "这个网络没有大于 1×1 的特征图,这里没有可显示的内容。",
    ),
    # ---- the network
    "inside.source.label": ("Network to look into", "要查看的网络"),
    "inside.source.train": ("Train page: {name}", "实时训练页面:{name}"),
    "inside.source.quick": (
        "The default network trained on this page",
        "在本页训练的默认网络",
    ),
    "inside.source.run": ("Run history: {name}", "运行记录:{name}"),
    "inside.source.file": ("Checkpoint file: {name}", "检查点文件:{name}"),
    "inside.source.train_file": (
        "Checkpoint loaded on the Train page: {name}",
        "在实时训练页面加载的检查点:{name}",
    ),
    "inside.source.custom": ("your network", "你的网络"),
    "inside.source.no_data": ("unknown", "未知"),
    "inside.source.summary": (
        "**{name}**: {layers} layers, {params} parameters; data: {data}; classes: {classes}.",
        "**{name}**:{layers} 层,{params} 个参数;数据:{data};类别:{classes}。",
    ),
    "inside.source.load_title": ("Load a checkpoint file", "加载检查点文件"),
    "inside.source.upload": (
        "Checkpoint (.zip from the Train page)",
        "检查点(实时训练页面下载的 .zip)",
    ),
    "inside.source.upload_help": (
        "A file made by the Train page's “Download the trained network”: the network, its "
        "weights and its class names. It is checked before use and never runs code.",
        "由实时训练页面“下载训练好的网络”生成的文件:包含网络结构、权重和类别名称。使用前会检查,"
        "绝不会执行其中的代码。",
    ),
    "inside.source.none": (
        "No trained network in this session yet. Train one on the Train page, keep the weights "
        "of a run in the Overfitting lab, load a checkpoint file above, or train the default "
        "network here in a few seconds.",
        "本次会话中还没有训练好的网络。可以在“实时训练”页面训练一个,在“过拟合实验室”保留某次运行的权重,"
        "在上面加载一个检查点文件,或者在这里用几秒钟训练默认网络。",
    ),
    "inside.quick.button": ("Train the default network (a few seconds)", "训练默认网络(几秒钟)"),
    "inside.quick.help": (
        "The default {params}-parameter network on the built-in shapes data, {epochs} epochs "
        "with Adam, in the server's job queue.",
        "在内置的形状数据上训练有 {params} 个参数的默认网络,Adam 优化器,{epochs} 轮,在服务器的任务队列中运行。",
    ),
    "inside.quick.epoch": (
        "Epoch {epoch} of {total}: validation accuracy {acc}%",
        "第 {epoch}/{total} 轮:验证集准确率 {acc}%",
    ),
    "inside.job.queued": (
        "The server's job slots are busy: you are number {position} in the queue. It starts by "
        "itself.",
        "服务器的任务名额都在使用中:你排在第 {position} 位,轮到时会自动开始。",
    ),
    "inside.job.status.queued": ("waiting", "排队中"),
    "inside.job.status.paused": ("paused", "已暂停"),
    "inside.job.status.stopping": ("stopping…", "正在停止…"),
    "inside.note.no_data": (
        "This run does not say which data it was trained on.",
        "这次运行没有记录训练所用的数据。",
    ),
    "inside.note.checkpoint_data": (
        "This checkpoint was not trained on a built-in dataset: the sections that need "
        "validation pictures are not available; draw or upload a picture for the others.",
        "这个检查点不是用内置数据集训练的:需要验证集图片的部分不可用;其他部分可以用手绘或上传的图片。",
    ),
    "inside.note.data_shape": (
        "Its dataset's pictures are {data}, the network takes {net}: the validation pictures "
        "are not used.",
        "数据集的图片大小为 {data},而网络的输入为 {net}:不使用验证集图片。",
    ),
    "inside.note.data_classes": (
        "Its dataset has {data} classes, the network {net} outputs: the validation pictures are "
        "not used.",
        "数据集有 {data} 个类别,而网络有 {net} 个输出:不使用验证集图片。",
    ),
    # ---- the picture
    "inside.picture.kind": ("Picture", "图片"),
    "inside.picture.kind.validation": ("Validation set", "验证集"),
    "inside.picture.kind.draw": ("Draw", "手绘"),
    "inside.picture.kind.upload": ("Upload", "上传"),
    "inside.picture.index": ("Validation picture (0 to {last})", "验证集图片(0 到 {last})"),
    "inside.picture.val_label": (
        "validation picture {index}: {label}",
        "验证集图片 {index}:{label}",
    ),
    "inside.picture.draw_label": ("your drawing", "你的手绘"),
    "inside.picture.upload_label": ("your picture", "你的图片"),
    "inside.picture.draw_help": (
        "Draw with the mouse or a finger, white on black like the training pictures.",
        "用鼠标或手指画,白色笔画、黑色背景,和训练图片一样。",
    ),
    "inside.picture.canvas_unavailable": (
        "The drawing canvas needs a browser.",
        "手绘画布需要在浏览器中使用。",
    ),
    "inside.picture.upload": (
        "A picture (PNG, JPEG, BMP, GIF, WebP)",
        "一张图片(PNG、JPEG、BMP、GIF、WebP)",
    ),
    "inside.picture.need_draw": ("Draw something on the canvas.", "请在画布上画点什么。"),
    "inside.picture.need_upload": ("Upload a picture.", "请上传一张图片。"),
    "inside.picture.prediction": ("The network says", "网络的判断"),
    "inside.note.resized": (
        "Your picture is {found} pixels; it was resized to the network's {size}.",
        "你的图片是 {found} 像素,已缩放为网络输入的 {size}。",
    ),
    "inside.note.to_grey": (
        "Your picture is in colour; the network takes grey pictures, so it was converted to "
        "grey (0.299 R + 0.587 G + 0.114 B).",
        "你的图片是彩色的;网络的输入是灰度图,因此已转换为灰度(0.299 R + 0.587 G + 0.114 B)。",
    ),
    "inside.note.to_colour": (
        "Your picture is grey; the network takes colour pictures, so the grey value was copied "
        "into the three channels.",
        "你的图片是灰度图;网络的输入是彩色图,因此把灰度值复制到了三个通道。",
    ),
    # ---- attribution
    "inside.attr.title": ("Why did it say that? Attribution maps", "它为什么这样判断?归因图"),
    "inside.attr.intro": (
        "Four ways to ask which pixels mattered for one class, all computed by captum, "
        "PyTorch's interpretability library. Brighter means more important.",
        "用四种方法回答“哪些像素对某个类别最重要”,全部由 PyTorch 的可解释性库 captum 计算。越亮表示越重要。",
    ),
    "inside.attr.class": ("Class to explain", "要解释的类别"),
    "inside.attr.predicted": ("the predicted class: {label}", "预测的类别:{label}"),
    "inside.attr.layer": ("Grad-CAM layer", "Grad-CAM 所用的层"),
    "inside.attr.sanity": ("Sanity check", "合理性检验"),
    "inside.attr.sanity_help": (
        "Also run each method on the same network with every weight drawn again at random "
        "(Adebayo et al. 2018, “Sanity Checks for Saliency Maps”).",
        "同时在权重全部重新随机初始化的同一网络上运行每种方法(Adebayo 等,2018,《Sanity Checks for Saliency Maps》)。",
    ),
    "inside.attr.for_class": (
        "Maps for the class “{label}”. Occlusion paints a {window}×{window} black square, moved "
        "{stride} pixels at a time.",
        "针对类别“{label}”的归因图。遮挡法用 {window}×{window} 的黑色方块,每次移动 {stride} 个像素。",
    ),
    "inside.attr.method.saliency": ("Saliency", "显著图"),
    "inside.attr.method.integrated_gradients": ("Integrated Gradients", "积分梯度"),
    "inside.attr.method.grad_cam": ("Grad-CAM", "Grad-CAM(类激活图)"),
    "inside.attr.method.occlusion": ("Occlusion", "遮挡"),
    "inside.attr.caption.saliency": (
        "|∂ score / ∂ pixel|: how fast the score changes with each pixel",
        "|∂ 得分 / ∂ 像素|:得分随每个像素变化的快慢",
    ),
    "inside.attr.caption.integrated_gradients": (
        "gradients summed along the path from a black picture to this one",
        "从全黑图片到这张图片的路径上累加的梯度",
    ),
    "inside.attr.caption.grad_cam": (
        "the layer's maps weighted by their mean gradient, ReLU, upsampled",
        "该层特征图按平均梯度加权、取 ReLU 后放大到输入尺寸",
    ),
    "inside.attr.caption.occlusion": (
        "how much the score falls when a square is covered (red: falls, blue: rises)",
        "遮住一块方块后得分下降多少(红色:下降,蓝色:上升)",
    ),
    "inside.attr.random_title": (
        "The same methods on the network with random weights",
        "同样的方法用在随机权重的网络上",
    ),
    "inside.attr.rank": (
        "rank correlation with the trained network's map: {rho}",
        "与训练后网络的归因图的秩相关系数:{rho}",
    ),
    "inside.attr.notice": (
        "Saliency is the raw gradient: grainy, because a ReLU network's gradient jumps from "
        "pixel to pixel. Integrated Gradients adds up to the score's change from a black "
        "picture, so it follows the strokes of the shape. Grad-CAM is coarse (the layer's map "
        "is small) but shows the region. Occlusion needs no gradient at all, only forward "
        "passes. Turn on the sanity check: a method that explains the network must change "
        "when the weights are random. Maps that stay alike (a high rank correlation) show the "
        "picture's edges rather than what the network learned, Adebayo et al.'s warning.",
        "显著图就是原始梯度:颗粒感很强,因为 ReLU 网络的梯度在相邻像素之间会跳变。积分梯度的总和等于"
        "从全黑图片到这张图片得分的变化,所以它沿着形状的笔画分布。Grad-CAM 很粗糙(该层的特征图很小),"
        "但能指出区域。遮挡法完全不需要梯度,只需要前向传播。打开合理性检验:真正解释网络的方法在权重随机时"
        "必须给出不同的图。若两张图仍然相似(秩相关系数高),它显示的只是图片的边缘,而不是网络学到的东西,"
        "这正是 Adebayo 等人的警告。",
    ),
    # ---- what a filter wants to see
    "inside.filters.title": ("What a filter wants to see", "卷积核想看到什么"),
    "inside.filters.layer": ("Layer", "层"),
    "inside.filters.channel": ("Channel (0 to {last})", "通道(0 到 {last})"),
    "inside.filters.notice": (
        "A channel of the first layer wants a simple pattern (an edge, a blob, a stripe) "
        "anywhere in the picture; a channel of a later layer wants larger, combined parts of "
        "shapes, and its top pictures share a class. The article {article} reads a network by "
        "its features: rough, noisy ones hint at a network that did not converge, a badly "
        "chosen learning rate or too weak a penalty; clean, smooth and varied ones at a good "
        "one. Set the blur and the jitter to 0: the ascent then finds high-frequency noise that "
        "excites the channel even more than any real picture does.",
        "第一层的通道想看到简单的图案(边缘、斑点、条纹),出现在图片的任何位置都行;后面层的通道想看到"
        "更大的、组合起来的形状部件,它最能激活的图片往往属于同一类别。{article}通过特征图来判断网络:"
        "特征粗糙杂乱,可能说明网络没有收敛、学习率设置不当或惩罚因子太小;干净、平滑、多样的特征说明网络"
        "训练得好。把模糊和抖动都设为 0:梯度上升会找到高频噪声,它对该通道的激活甚至比任何真实图片都强。",
    ),
    "inside.max.title": ("Activation maximisation", "激活最大化"),
    "inside.max.intro": (
        "Start from a grey picture and climb the gradient of the channel's mean activation with "
        "respect to the pixels (Adam), rolling the picture a few pixels at random every step "
        "(jitter) and blurring it every 4 steps. It runs in the background; Stop keeps the "
        "picture reached so far.",
        "从一张灰色图片出发,沿着该通道平均激活值对像素的梯度上升(Adam 优化器),每一步把图片随机平移几个"
        "像素(抖动),每 4 步做一次模糊。它在后台运行;停止后保留已经得到的图片。",
    ),
    "inside.max.settings": ("Settings", "设置"),
    "inside.max.steps": ("Steps", "步数"),
    "inside.max.jitter": ("Jitter (pixels)", "抖动(像素)"),
    "inside.max.blur": ("Blur σ (pixels)", "模糊 σ(像素)"),
    "inside.max.start": ("Maximise", "开始最大化"),
    "inside.max.stop": ("Stop", "停止"),
    "inside.max.progress": (
        "Gradient ascent on the picture (layer {layer})",
        "对图片做梯度上升(第 {layer} 层)",
    ),
    "inside.max.caption": (
        "{layer}, channel {channel}: step {step} of {total}, mean activation {value}",
        "{layer},通道 {channel}:第 {step}/{total} 步,平均激活值 {value}",
    ),
    "inside.max.stopped": (
        "Stopped at step {step}: the picture reached so far is kept.",
        "在第 {step} 步停止:保留了已经得到的图片。",
    ),
    "inside.top.title": (
        "The {k} validation pictures that excite it most",
        "最能激活它的 {k} 张验证集图片",
    ),
    "inside.top.intro": (
        "Searched among {count} validation pictures. The green box is the receptive field of "
        "the cell where the channel fires most: the region that activates it.",
        "在 {count} 张验证集图片中搜索。绿色方框是该通道激活最强的单元的感受野:也就是激活它的区域。",
    ),
    "inside.top.caption": ("{label}: {value}", "{label}:{value}"),
    # ---- invariance
    "inside.inv.title": ("Translation equivariance and invariance", "平移等变性与平移不变性"),
    "inside.inv.shift": ("Shift k (pixels)", "平移量 k(像素)"),
    "inside.inv.axis": ("Direction", "方向"),
    "inside.inv.axis.horizontal": ("right (k > 0)", "向右(k > 0)"),
    "inside.inv.axis.vertical": ("down (k > 0)", "向下(k > 0)"),
    "inside.inv.intro": (
        "The picture moves k pixels; a black strip comes in. A layer whose cells are J pixels "
        "apart (its jump) should shift its maps by k / J cells. Jumps: {jumps}.",
        "图片平移 k 个像素,移入一条黑边。某一层相邻单元相距 J 个像素(跳距),它的特征图应平移 k / J 个单元。"
        "各层的跳距:{jumps}。",
    ),
    "inside.inv.shifted_caption": ("the picture shifted by {shift}", "平移 {shift} 个像素后的图片"),
    "inside.inv.col.layer": ("layer", "层"),
    "inside.inv.col.jump": ("jump J", "跳距 J"),
    "inside.inv.col.cells": ("k / J (cells)", "k / J(单元)"),
    "inside.inv.col.exact": ("whole cells", "整数个单元"),
    "inside.inv.col.compared": ("cells compared", "比较的单元数"),
    "inside.inv.col.difference": ("difference after shifting back", "移回后的差异"),
    "inside.inv.map_layer": ("Maps of layer", "显示哪一层的特征图"),
    "inside.inv.maps_title": (
        "{layer}, channel 0: maps shifted by {cells} cells",
        "{layer},通道 0:特征图平移了 {cells} 个单元",
    ),
    "inside.inv.trained": ("the trained network", "训练好的网络"),
    "inside.inv.variant": (
        "Compare with the same network trained",
        "与同一网络的另一种训练方式比较",
    ),
    "inside.inv.variant.no_pooling": ("without pooling", "去掉池化"),
    "inside.inv.variant.stride_one": ("with pooling of stride 1", "池化步长设为 1"),
    "inside.inv.train_variant": ("Train it", "训练它"),
    "inside.inv.train_variant_help": (
        "Trains the changed network on the same data with the same settings, in the background "
        "(seconds for a small network).",
        "用相同的数据和设置在后台训练修改后的网络(小网络只需几秒)。",
    ),
    "inside.inv.prob_title": (
        "Probability of “{label}” against the shift",
        "“{label}”的概率随平移量的变化",
    ),
    "inside.inv.prob_axis": ("probability (%)", "概率(%)"),
    "inside.inv.change_title": (
        "How much the features reaching the classifier change",
        "送入分类器的特征变化了多少",
    ),
    "inside.inv.change_axis": ("‖f(shifted) − f(x)‖ / ‖f(x)‖", "‖f(平移后) − f(x)‖ / ‖f(x)‖"),
    "inside.inv.notice": (
        "When k is a multiple of a layer's jump, the maps shifted back match exactly (0% on the "
        "compared cells: those that see neither the padding nor the black strip): convolution "
        "is equivariant, it moves with the picture. When k is not a multiple, the cells fall "
        "between the old ones and the maps differ. Invariance is a different thing: the "
        "prediction staying the same. Each 2×2 pooling adds tolerance for shifts of about one "
        "of its cells, so the curve of the trained network stays high near k = 0 and falls "
        "for large shifts; the Linear layer still sees where things are. The article {article} "
        "says pooling keeps translation invariance: train the network without pooling and "
        "compare the curves to measure how much of it pooling really gives.",
        "当 k 是某一层跳距的整数倍时,移回后的特征图完全一致(在比较的单元上差异为 0%:这些单元既看不到填充,"
        "也看不到移入的黑边):卷积具有等变性,它随图片一起移动。k 不是整数倍时,单元落在原来的单元之间,"
        "特征图就不同了。不变性是另一回事:预测保持不变。每个 2×2 池化大约能容忍平移它的一个单元,"
        "所以训练好的网络在 k = 0 附近的曲线很高,平移大了就下降;全连接层仍然能看到物体在哪里。"
        "{article}说池化保证了平移不变性:训练一个去掉池化的网络,比较两条曲线,就能测出池化到底带来了多少不变性。",
    ),
    # ---- receptive field
    "inside.rf.title": ("Receptive field of one cell", "一个单元的感受野"),
    "inside.rf.layer": ("Layer", "层"),
    "inside.rf.row": ("Row (0 to {last})", "行(0 到 {last})"),
    "inside.rf.col": ("Column (0 to {last})", "列(0 到 {last})"),
    "inside.rf.map_title": ("{layer}, channel {channel}", "{layer},通道 {channel}"),
    "inside.rf.click_help": (
        "Click a cell of the map (or type its row and column).",
        "点击特征图中的一个单元(或输入它的行和列)。",
    ),
    "inside.rf.theoretical": ("Theoretical receptive field", "理论感受野"),
    "inside.rf.effective": ("Effective receptive field", "有效感受野"),
    "inside.rf.box_caption": (
        "{size} pixels, jump {jump} (Build page's shape inference); rows {top}–{bottom}, "
        "columns {left}–{right} of the picture",
        "{size} 像素,跳距 {jump}(搭建页面的形状推断);图片的第 {top}–{bottom} 行、第 {left}–{right} 列",
    ),
    "inside.rf.erf_caption": (
        "|∂ cell / ∂ pixel| averaged over {count} validation pictures; {share}% of it inside "
        "the box",
        "|∂ 单元 / ∂ 像素| 在 {count} 张验证集图片上的平均;其中 {share}% 落在方框内",
    ),
    "inside.rf.erf_caption_one": (
        "|∂ cell / ∂ pixel| for this picture only (no validation pictures); {share}% of it "
        "inside the box",
        "只用这一张图片计算的 |∂ 单元 / ∂ 像素|(没有验证集图片);其中 {share}% 落在方框内",
    ),
    "inside.rf.build_link": (
        "The network's receptive field and every layer's output shape on the Build page",
        "在搭建页面查看网络的感受野和每一层的输出形状",
    ),
    "inside.inv.build_link": (
        "Add, remove or change pooling layers on the Build page",
        "在搭建页面添加、删除或修改池化层",
    ),
    "inside.rf.notice": (
        "The cell can only see the {size} window (the recurrence r_out = r_in + (k − 1)·J_in of "
        "the Build page): every pixel outside it has a gradient of exactly 0. Inside, the "
        "gradient is far from uniform: it is concentrated in the middle and fades towards the "
        "edges, because a central pixel reaches the cell along many more paths than a corner "
        "pixel. Luo et al. (2016) call this the effective receptive field; it is much smaller "
        "than the theoretical one. The Hubel and Wiesel receptive fields that the article on "
        "translation invariance recalls are the same idea in the visual cortex.",
        "这个单元只能看到 {size} 的窗口(搭建页面的递推式 r_out = r_in + (k − 1)·J_in):窗口外每个像素的"
        "梯度都恰好为 0。窗口内的梯度远不均匀:集中在中间,向边缘逐渐减弱,因为中心像素通向这个单元的路径"
        "比角落像素多得多。Luo 等人(2016)称之为有效感受野,它比理论感受野小得多。讲平移不变性的那篇文章"
        "回顾的 Hubel 和 Wiesel 的感受野,正是视觉皮层中的同一概念。",
    ),
    # ---- linear probe
    "inside.probe.title": ("CNN features + a linear classifier", "CNN 特征 + 线性分类器"),
    "inside.probe.intro": (
        "The output of layer {layer} (what the last Linear layer reads) for {train} training "
        "and {val} validation pictures, fed to scikit-learn's LinearSVC (C = {c}, features "
        "standardised) as {article} suggests; the same SVM on the raw pixels and on the "
        "features of the same network untrained (its starting weights).",
        "取第 {layer} 层的输出(最后一个全连接层的输入),{train} 张训练图片和 {val} 张验证集图片,"
        "按{article}的做法交给 scikit-learn 的 LinearSVC(C = {c},特征已标准化);同样的 SVM 也用在原始像素"
        "和未训练的同一网络(它的初始权重)提取的特征上。",
    ),
    "inside.probe.start": ("Run the linear probe", "运行线性探测"),
    "inside.probe.again": ("Run it again", "再运行一次"),
    "inside.probe.step.pixels_svm": ("SVM on the raw pixels…", "在原始像素上训练 SVM…"),
    "inside.probe.step.untrained_svm": (
        "SVM on the untrained network's features…",
        "在未训练网络的特征上训练 SVM…",
    ),
    "inside.probe.step.cnn_svm": (
        "SVM on the trained network's features…",
        "在训练后网络的特征上训练 SVM…",
    ),
    "inside.probe.step.cnn_head": ("The network's own classifier…", "网络自己的分类器…"),
    "inside.probe.step.pca": ("2-D map: PCA…", "二维图:PCA…"),
    "inside.probe.step.tsne": ("2-D map: t-SNE…", "二维图:t-SNE…"),
    "inside.probe.col.classifier": ("classifier on features", "分类器与特征"),
    "inside.probe.col.features": ("features", "特征数"),
    "inside.probe.col.train": ("training accuracy", "训练集准确率"),
    "inside.probe.col.val": ("validation accuracy", "验证集准确率"),
    "inside.probe.col.seconds": ("seconds", "秒"),
    "inside.probe.row.pixels_svm": ("linear SVM on the raw pixels", "原始像素 + 线性 SVM"),
    "inside.probe.row.untrained_svm": (
        "linear SVM on an untrained network's features",
        "未训练网络的特征 + 线性 SVM",
    ),
    "inside.probe.row.cnn_svm": (
        "linear SVM on the trained network's features",
        "训练后网络的特征 + 线性 SVM",
    ),
    "inside.probe.row.cnn_head": ("the network's own Linear layer", "网络自己的全连接层"),
    "inside.probe.map.pca": ("Features in 2-D: PCA", "特征的二维图:PCA"),
    "inside.probe.map.tsne": ("Features in 2-D: t-SNE", "特征的二维图:t-SNE"),
    "inside.probe.map_caption": (
        "Validation pictures, coloured by their true class; a black cross marks the ones the "
        "network gets wrong. PCA keeps the two directions of largest variance (distances "
        "mean something); t-SNE keeps neighbours together (only the clusters mean something).",
        "验证集图片,按真实类别着色;黑色叉号标出网络判断错的图片。PCA 保留方差最大的两个方向"
        "(距离有意义);t-SNE 让相邻的点保持相邻(只有聚类有意义)。",
    ),
    "inside.probe.notice": (
        "The trained network's features make the classes almost linearly separable: a linear "
        "SVM on them does about as well as the network's own Linear layer, which is what "
        "{article} says (“about the same result, depending on the SVM's parameters”). On the "
        "raw pixels the same SVM does much worse: the shape can be anywhere, and a linear "
        "classifier cannot undo that. Compare the untrained network's row too: random "
        "convolutions followed by ReLU and pooling already give features that shift less, and on "
        "these simple shapes they can come close to the trained ones; the table measures which "
        "wins on this network. The 2-D maps show the classes as clusters, with the mistakes "
        "between them.",
        "训练后网络提取的特征让各类别几乎线性可分:在这些特征上训练的线性 SVM 和网络自己的全连接层表现相当,"
        "这正是{article}所说的(“最后也能得到差不多的结果,取决于 SVM 的参数”)。在原始像素上,同样的 SVM 差得多:"
        "形状可以出现在任何位置,线性分类器无法消除这种变化。也请对比未训练网络那一行:随机卷积加上 ReLU 和池化,"
        "得到的特征已经不那么随平移变化,在这些简单形状上可能与训练后的特征相差不大;哪一种更好,以表中对这个网络的测量为准。"
        "二维图把各类别显示为聚类,判断错误的点落在聚类之间。",
    ),
    # ---- figures (cnnviz.viz.inside)
    "inside.viz.row": ("row", "行"),
    "inside.viz.col": ("column", "列"),
    "inside.viz.value": ("value", "值"),
    "inside.viz.original": ("original picture", "原始图片"),
    "inside.viz.shifted": ("shifted picture", "平移后的图片"),
    "inside.viz.difference": ("difference after shifting back", "移回后的差异"),
    "inside.viz.shift_axis": ("shift k (pixels)", "平移量 k(像素)"),
    "inside.viz.activation": ("mean activation", "平均激活值"),
    "inside.viz.step": ("step", "步"),
    "inside.viz.ascent_title": ("Gradient ascent", "梯度上升"),
    "inside.viz.true": ("true class", "真实类别"),
    "inside.viz.predicted": ("predicted", "预测"),
    "inside.viz.wrong": ("wrong", "判断错误"),
    # ---- errors (cnnviz.inside.InsideError)
    "inside.error.layer": (
        "There is no layer {index} in this network.",
        "这个网络没有第 {index} 层。",
    ),
    "inside.error.no_maps": (
        "Layer {layer} has no feature maps (its output is a vector). Choose a convolution or "
        "pooling layer.",
        "第 {layer} 层没有特征图(它的输出是向量)。请选择卷积层或池化层。",
    ),
    "inside.error.gradcam_layer": (
        "Grad-CAM needs a layer with feature maps larger than 1×1; layer {layer} outputs {shape}. "
        "Choose a convolution, activation or pooling layer before Flatten.",
        "Grad-CAM 需要大于 1×1 的特征图;第 {layer} 层的输出是 {shape}。请选择 Flatten 之前的卷积层、激活层或池化层。",
    ),
    "inside.error.cell": (
        "Cell ({row}, {col}) is outside the {height}×{width} map.",
        "单元 ({row}, {col}) 不在 {height}×{width} 的特征图内。",
    ),
    "inside.error.channel": (
        "Channel {channel} does not exist: this layer has {count} channels (0 to {count} − 1).",
        "通道 {channel} 不存在:这一层有 {count} 个通道(0 到 {count} − 1)。",
    ),
    "inside.error.shift": (
        "A shift of {shift} pixels is too large: choose −{limit} to {limit}.",
        "平移 {shift} 个像素太大了:请选择 −{limit} 到 {limit}。",
    ),
    "inside.error.setting": (
        "The setting {name} must be between {low} and {high}.",
        "设置 {name} 必须在 {low} 到 {high} 之间。",
    ),
    "inside.error.no_linear": (
        "This network has no Linear layer after another layer, so it has no features for a "
        "classifier to read.",
        "这个网络在其他层之后没有全连接层,因此没有可供分类器读取的特征。",
    ),
    "inside.error.no_pooling": (
        "This network has no max or average pooling layer to remove or change.",
        "这个网络没有可以去掉或修改的最大池化层或平均池化层。",
    ),
    "inside.error.data_channels": (
        "The dataset has {data} channels, the network {net}.",
        "数据集有 {data} 个通道,而网络有 {net} 个。",
    ),
}
