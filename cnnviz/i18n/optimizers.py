"""Strings of the Optimizers page (pages/optimizers, cnnviz.concepts optimizers, cnnviz.viz
optimizers) and the input errors of the three learning explorers (``learn.error.*``)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # ---- navigation and the home page ----
    "nav.optimizers": ("Optimizers", "优化器"),
    "home.card.optimizers": (
        "SGD, momentum, Nesterov, Adagrad, RMSprop, Adam, AdamW, Adamax and NAdam race from the "
        "same start on a bowl, Rosenbrock's valley, Beale, a saddle and several minima, with or "
        "without mini-batch noise; a step inspector writes out one update with the optimizer's "
        "own state; the learning rate past which SGD diverges, 2/λ_max, with your numbers.",
        "SGD、动量、Nesterov、Adagrad、RMSprop、Adam、AdamW、Adamax 和 NAdam 从同一起点出发,在碗形曲面、"
        "Rosenbrock 山谷、Beale 函数、鞍点和多极小值曲面上赛跑,可加小批量噪声;单步检查器用优化器自己的状态写出"
        "一次更新;还有让 SGD 发散的学习率阈值 2/λ_max,代入你的数字。",
    ),
    # ---- the page ----
    "opt.title": ("Optimizers on loss surfaces", "损失曲面上的优化器"),
    "opt.intro": (
        "Training a network means walking downhill on its loss. The article 「深度学习之卷积神经网络"
        "(Convolutional Neural Networks, CNN)」 describes the walk as mini-batch SGD: take a batch, "
        "compute the loss, back-propagate the gradient, update the weights. 「\\[深度学习\\] 卷积神经网络"
        "CNN」 lists the optimizers that refine that update (SGD, momentum, Nesterov, Adagrad, RMSProp, "
        "Adam, Adamax, Nadam). Here they walk on surfaces of two parameters, so you can see every "
        "step. Each one is the real `torch.optim` class stepping a real tensor; the gradient it is "
        "given is the surface's derivative written out, which the tests check against autograd.",
        "训练网络就是沿着损失往下走。文章《深度学习之卷积神经网络(Convolutional Neural Networks, CNN)》"
        "把这个过程描述为小批量 SGD:取一批数据,计算损失,反向传播梯度,更新权重。《\\[深度学习\\] 卷积神经网络CNN》"
        "列出了改进这一更新的优化器(SGD、动量、Nesterov、Adagrad、RMSProp、Adam、Adamax、Nadam)。这里让它们"
        "在只有两个参数的曲面上行走,每一步都看得见。每个优化器都是真实的 `torch.optim` 类在更新真实的张量;"
        "它得到的梯度是手工写出的曲面导数,测试核对它与自动求导(autograd)的结果一致。",
    ),
    # ---- 1. the surface ----
    "opt.surface.title": ("1. The surface", "1. 损失曲面"),
    "opt.surface.pick": ("Loss surface", "损失曲面"),
    "opt.surface.bowl": ("Quadratic bowl", "二次碗形曲面"),
    "opt.surface.rosenbrock": ("Rosenbrock's valley", "Rosenbrock 山谷"),
    "opt.surface.beale": ("Beale's function", "Beale 函数"),
    "opt.surface.saddle": ("Saddle point", "鞍点"),
    "opt.surface.wells": ("Several minima", "多个极小值"),
    "opt.surface.condition": ("Condition number κ", "条件数 κ"),
    "opt.surface.condition_help": (
        "κ = λ_max / λ_min, the ratio of the steepest to the flattest curvature (the eigenvalues "
        "of the Hessian). κ = 1 is a round bowl; large κ a long, narrow valley.",
        "κ = λ_max / λ_min,最陡方向与最平方向的曲率之比(海森矩阵的特征值)。κ = 1 是圆形的碗;κ 越大,"
        "山谷越狭长。",
    ),
    "opt.surface.view": ("View", "视图"),
    "opt.surface.view_contour": ("Contour, animated", "等高线(动画)"),
    "opt.surface.view_3d": ("3-D surface", "三维曲面"),
    "opt.surface.about_bowl": (
        "f(x, y) = ½ (λ_max x² + λ_min y²) with λ_max = 1 and κ = {kappa}: steep across x, flat "
        "along y; the minimum is at (0, 0).",
        "f(x, y) = ½ (λ_max x² + λ_min y²),其中 λ_max = 1,κ = {kappa}:x 方向陡,y 方向平;"
        "极小值在 (0, 0)。",
    ),
    "opt.surface.about_rosenbrock": (
        "f(x, y) = (1 − x)² + 100 (y − x²)²: the curved valley is easy to find, its flat floor "
        "hard to follow to the minimum at (1, 1). Contours of log₁₀(1 + f).",
        "f(x, y) = (1 − x)² + 100 (y − x²)²:弯曲的山谷很容易找到,沿着平坦的谷底走到极小值 (1, 1) "
        "却很难。等高线画的是 log₁₀(1 + f)。",
    ),
    "opt.surface.about_beale": (
        "f(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²: flat plateaus between "
        "steep walls; the minimum is at (3, 0.5). Contours of log₁₀(1 + f).",
        "f(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²:陡壁之间是平坦的高原;"
        "极小值在 (3, 0.5)。等高线画的是 log₁₀(1 + f)。",
    ),
    "opt.surface.about_saddle": (
        "f(x, y) = x² + y⁴/4 − y²/2: a saddle point at (0, 0) between two minima at (0, ±1). "
        "Starting near y = 0, the gradient that leads off the saddle is tiny.",
        "f(x, y) = x² + y⁴/4 − y²/2:(0, 0) 是鞍点,两侧各有一个极小值 (0, ±1)。从 y ≈ 0 出发时,"
        "把点推离鞍点的梯度非常小。",
    ),
    "opt.surface.about_wells": (
        "A wide shallow bowl with three wells of different depths: the deepest (the global "
        "minimum) is top right, the two others are local minima.",
        "一个宽而浅的碗里有三个深浅不同的坑:最深的(全局最小值)在右上方,另外两个是局部极小值。",
    ),
    # ---- 2. the race ----
    "opt.race.title": ("2. The race", "2. 优化器赛跑"),
    "opt.race.pick": ("Optimizers in the race", "参赛的优化器"),
    "opt.race.pick_help": (
        "Each is the torch.optim class with PyTorch's default settings (SGD's momentum is 0.9).",
        "每个都是 torch.optim 中的类,使用 PyTorch 的默认设置(SGD 的动量取 0.9)。",
    ),
    "opt.race.lr": ("lr of {name}", "{name} 的学习率"),
    "opt.race.lr_help": (
        "A positive number such as 0.1 or 3e-3.",
        "一个正数,例如 0.1 或 3e-3。",
    ),
    "opt.race.x0": ("start x", "起点 x"),
    "opt.race.y0": ("start y", "起点 y"),
    "opt.race.steps": ("Steps", "步数"),
    "opt.race.noise": ("Mini-batch noise σ", "小批量噪声 σ"),
    "opt.race.noise_help": (
        "0: every step sees the full loss. Above 0: each step sees the loss of one 'mini-batch', "
        "the full loss plus a random tilt, so its gradient is the full gradient plus a random "
        "vector (size σ times the surface's typical gradient). Every optimizer sees the same "
        "batches.",
        "0:每一步都看到完整的损失。大于 0:每一步只看到一个“小批量”的损失,即完整损失加上一个随机倾斜,"
        "所以它的梯度等于完整梯度加一个随机向量(大小为 σ 乘以该曲面的典型梯度)。所有优化器看到的是同样的小批量。",
    ),
    "opt.race.seed": ("Noise seed", "噪声种子"),
    "opt.race.click_hint": (
        "Click anywhere on the contour to start the race there. ▶ plays the race, ⏸ pauses, the "
        "slider under the chart scrubs through the steps.",
        "在等高线图上任意点击,就从那里开始赛跑。▶ 播放,⏸ 暂停,图下方的滑块可以逐步拖动。",
    ),
    "opt.race.kept": (
        "The chart still shows the last race whose settings were valid.",
        "图中仍显示上一次设置有效的赛跑。",
    ),
    "opt.race.ended": (
        "**{name}** (lr {lr}): after {steps} steps at ({x}, {y}), loss {loss}.",
        "**{name}**(学习率 {lr}):{steps} 步后到达 ({x}, {y}),损失 {loss}。",
    ),
    "opt.race.stopped_nonfinite": (
        "{name} (lr {lr}) diverged: at step {step} its loss was no longer a finite number "
        "(overflow to infinity or NaN). Its path stops there. Try a smaller learning rate.",
        "{name}(学习率 {lr})发散了:第 {step} 步时损失已不再是有限的数(溢出为无穷大或 NaN)。它的路径到此为止。"
        "请尝试更小的学习率。",
    ),
    "opt.race.stopped_escaped": (
        "{name} (lr {lr}) diverged: at step {step} it was more than a million units from the "
        "origin and still going. Its path stops there. Try a smaller learning rate.",
        "{name}(学习率 {lr})发散了:第 {step} 步时它离原点已超过一百万个单位,而且还在远离。它的路径到此为止。"
        "请尝试更小的学习率。",
    ),
    "opt.race.notice": (
        "**What to notice.** On the bowl with κ ≥ 10, SGD zig-zags across the steep direction "
        "and crawls along the flat one; momentum and Nesterov gather speed along the valley "
        "(and overshoot); Adagrad, RMSprop, Adam and their cousins divide each coordinate's step "
        "by the size of its own gradients, so the flat and the steep direction move at similar "
        "speed. On Rosenbrock everyone finds the valley quickly and then walks slowly along its "
        "floor. On the saddle, plain SGD lingers where the gradient is tiny; noise (σ > 0) "
        "kicks it off. On the several-minima surface, which well you end in depends on the "
        "start and on momentum. Raise a learning rate until the path explodes: the page says "
        "where it stopped.",
        "**值得注意。**在 κ ≥ 10 的碗上,SGD 在陡的方向来回震荡,在平的方向缓慢爬行;动量和 Nesterov "
        "沿着山谷越走越快(也会冲过头);Adagrad、RMSprop、Adam 及其变体把每个坐标的步长除以它自己梯度的大小,"
        "所以平的方向和陡的方向走得差不多快。在 Rosenbrock 曲面上,大家都很快找到山谷,然后沿着谷底慢慢走。"
        "在鞍点附近,普通 SGD 会在梯度很小的地方停留很久;加入噪声(σ > 0)能把它推出去。在多极小值曲面上,"
        "最后落在哪个坑里取决于起点和动量。把某个学习率调大到路径爆炸:页面会告诉你它在哪一步停下。",
    ),
    # ---- the charts ----
    "opt.viz.loss": ("loss", "损失"),
    "opt.viz.log_loss": ("log₁₀(1 + loss)", "log₁₀(1 + 损失)"),
    "opt.viz.step": ("step", "步"),
    "opt.viz.minimum": ("minimum", "极小值"),
    "opt.viz.click_here": ("start here", "从这里出发"),
    "opt.viz.plain_step": ("plain SGD step −lr·g", "普通 SGD 一步 −lr·g"),
    "opt.viz.real_step": ("{name}'s real step", "{name} 的实际一步"),
    "opt.viz.step_title": ("Step {step}: from θ_(t−1) to θ_t", "第 {step} 步:从 θ_(t−1) 到 θ_t"),
    # ---- short optimizer names (charts, boxes) ----
    "opt.short.sgd": ("SGD", "SGD"),
    "opt.short.momentum": ("Momentum", "动量"),
    "opt.short.nesterov": ("Nesterov", "Nesterov 动量"),
    "opt.short.adagrad": ("Adagrad", "Adagrad"),
    "opt.short.rmsprop": ("RMSprop", "RMSprop"),
    "opt.short.adam": ("Adam", "Adam"),
    "opt.short.adamw": ("AdamW", "AdamW"),
    "opt.short.adamax": ("Adamax", "Adamax"),
    "opt.short.nadam": ("NAdam", "NAdam"),
    # ---- 3. the step inspector ----
    "opt.inspect.title": ("3. One step, written out", "3. 把一步写出来"),
    "opt.inspect.intro": (
        "Pick an optimizer and a step. Every number below is read from the optimizer itself "
        "after that step (its `state`: momentum buffer, moment estimates, step count) or is the "
        "gradient it was given (the surface's derivative, equal to autograd's); the lines in "
        "between are computed from them, and the last line is checked against the point the "
        "optimizer really moved to.",
        "选择一个优化器和一步。下面的每个数要么是这一步之后从优化器本身读出的(它的 `state`:动量缓冲、矩估计、"
        "步数),要么是它得到的梯度(曲面的导数,与自动求导的结果相同);中间各行由它们算出,最后一行与优化器实际"
        "移动到的点相核对。",
    ),
    "opt.inspect.none": (
        "The inspector needs a race: fix the settings above.",
        "单步检查器需要一次赛跑:请先修正上面的设置。",
    ),
    "opt.inspect.racer": ("Optimizer", "优化器"),
    "opt.inspect.step": ("Step t", "第 t 步"),
    "opt.inspect.no_step": (
        "{name} diverged before its first step: there is no update to inspect.",
        "{name} 在第一步之前就发散了:没有可以检查的更新。",
    ),
    "opt.inspect.from_state": (
        "read from optimizer.state[θ]['{name}'] after this step",
        "这一步之后读自 optimizer.state[θ]['{name}']",
    ),
    "opt.inspect.from_grad": (
        "the gradient ∇f (equal to autograd's)",
        "梯度 ∇f(与自动求导的结果相同)",
    ),
    "opt.inspect.from_formula": ("computed from the lines above", "由上面各行算出"),
    "opt.inspect.from_position": (
        "the point the optimizer really moved to",
        "优化器实际移动到的点",
    ),
    "opt.inspect.check": (
        "The optimizer's new point is ({x}, {y}); the formula above gives it to within {gap} "
        "(rounding: the optimizer orders its arithmetic differently).",
        "优化器的新位置是 ({x}, {y});上面的公式算出的结果与它相差不超过 {gap}"
        "(舍入误差:优化器内部的运算顺序不同)。",
    ),
    "opt.inspect.check_exact": (
        "The optimizer's new point is ({x}, {y}); the formula above gives exactly the same numbers.",
        "优化器的新位置是 ({x}, {y});上面的公式算出的结果与它完全相同。",
    ),
    "opt.inspect.conventions": (
        "PyTorch's form and the textbook's: where they differ",
        "PyTorch 的写法与教科书写法:不同之处",
    ),
    "opt.formula.sgd": (
        "**SGD** (`torch.optim.SGD`), γ = lr, g_t = ∇f(θ_(t−1)):",
        "**SGD**(`torch.optim.SGD`),γ = 学习率,g_t = ∇f(θ_(t−1)):",
    ),
    "opt.formula.momentum": (
        "**SGD with momentum** (`torch.optim.SGD(momentum=μ)`), as the PyTorch documentation "
        "writes it: b is the momentum buffer, τ the dampening:",
        "**带动量的 SGD**(`torch.optim.SGD(momentum=μ)`),按 PyTorch 文档的写法:b 是动量缓冲,τ 是阻尼:",
    ),
    "opt.formula.nesterov": (
        "**Nesterov momentum** (`torch.optim.SGD(momentum=μ, nesterov=True)`), PyTorch's form:",
        "**Nesterov 动量**(`torch.optim.SGD(momentum=μ, nesterov=True)`),PyTorch 的写法:",
    ),
    "opt.formula.adagrad": (
        "**Adagrad** (`torch.optim.Adagrad`): s sums every squared gradient so far:",
        "**Adagrad**(`torch.optim.Adagrad`):s 累加至今所有梯度的平方:",
    ),
    "opt.formula.rmsprop": (
        "**RMSprop** (`torch.optim.RMSprop`): v is a moving average of squared gradients:",
        "**RMSprop**(`torch.optim.RMSprop`):v 是梯度平方的滑动平均:",
    ),
    "opt.formula.adam": (
        "**Adam** (`torch.optim.Adam`): m and v are moving averages of the gradient and of its "
        "square (first and second moment estimates), corrected for starting at 0:",
        "**Adam**(`torch.optim.Adam`):m 和 v 是梯度及其平方的滑动平均(一阶矩和二阶矩估计),"
        "并对从 0 开始造成的偏差做修正:",
    ),
    "opt.formula.adamw": (
        "**AdamW** (`torch.optim.AdamW`, weight decay λ): first shrink the weights, then the Adam "
        "step:",
        "**AdamW**(`torch.optim.AdamW`,权重衰减 λ):先把权重按比例缩小,再走一步 Adam:",
    ),
    "opt.formula.adamax": (
        "**Adamax** (`torch.optim.Adamax`): Adam with the square root of v replaced by u, a "
        "decaying maximum of |g|:",
        "**Adamax**(`torch.optim.Adamax`):把 Adam 中 v 的平方根换成 u,即 |g| 的衰减最大值:",
    ),
    "opt.formula.nadam": (
        "**NAdam** (`torch.optim.NAdam`): Adam with Nesterov momentum and a momentum schedule μ_t "
        "(ψ = momentum_decay):",
        "**NAdam**(`torch.optim.NAdam`):带 Nesterov 动量的 Adam,动量按 μ_t 逐步变化(ψ = momentum_decay):",
    ),
    "opt.convention.sgd": (
        "Plain SGD is written the same everywhere: θ_t = θ_(t−1) − γ g_t. The article 「深度学习之"
        "卷积神经网络(Convolutional Neural Networks, CNN)」 describes exactly this step, with g the "
        "gradient of one mini-batch.",
        "普通 SGD 在各处写法都一样:θ_t = θ_(t−1) − γ g_t。文章《深度学习之卷积神经网络(Convolutional Neural "
        "Networks, CNN)》描述的正是这一步,其中 g 是一个小批量上的梯度。",
    ),
    "opt.convention.momentum": (
        "PyTorch keeps the learning rate **outside** the buffer: b_t = μ b_(t−1) + (1 − τ) g_t, "
        "θ_t = θ_(t−1) − γ b_t, and the first buffer is the first gradient itself (b_1 = g_1, so "
        "dampening only applies from step 2). The textbook form (Sutskever et al., 2013), which "
        "is also Keras's, the library of the code in 「\\[深度学习\\] 卷积神经网络CNN」 "
        "(`tf.keras.optimizers.SGD(momentum=0.9)`), keeps it **inside** a velocity that starts "
        "at 0: v_t = μ v_(t−1) − γ g_t, θ_t = θ_(t−1) + v_t. With a constant learning rate and "
        "no dampening the two trace exactly the same path (v_t = −γ b_t). They part when the "
        "learning rate changes during training: PyTorch's next step applies the new rate to the "
        "whole buffer, the textbook's only to the new gradient. The PyTorch documentation of "
        "`torch.optim.SGD` says so in a note.",
        "PyTorch 把学习率放在缓冲**之外**:b_t = μ b_(t−1) + (1 − τ) g_t,θ_t = θ_(t−1) − γ b_t,"
        "而且第一个缓冲就是第一个梯度本身(b_1 = g_1,所以阻尼从第 2 步才起作用)。教科书写法(Sutskever 等,"
        "2013)也是 Keras 的写法,《\\[深度学习\\] 卷积神经网络CNN》中的代码用的正是 Keras"
        "(`tf.keras.optimizers.SGD(momentum=0.9)`),它把学习率放在从 0 开始的速度**之内**:"
        "v_t = μ v_(t−1) − γ g_t,θ_t = θ_(t−1) + v_t。学习率不变且没有阻尼时,两者走出完全相同的路径"
        "(v_t = −γ b_t)。训练中学习率一变,两者就分开了:PyTorch 下一步把新的学习率乘在整个缓冲上,"
        "教科书写法只乘在新的梯度上。PyTorch 文档中 `torch.optim.SGD` 的注释说明了这一点。",
    ),
    "opt.convention.nesterov": (
        "The textbook form (Sutskever et al., 2013) takes the gradient at a look-ahead point: "
        "v_t = μ v_(t−1) − γ ∇f(θ_(t−1) + μ v_(t−1)), θ_t = θ_(t−1) + v_t. PyTorch (and Keras: "
        "θ ← θ + μ v_t − γ g_t) rewrite it so the gradient is taken where the parameters are: "
        "b_t = μ b_(t−1) + g_t, θ_t = θ_(t−1) − γ (g_t + μ b_t). It is the same method; the "
        "point it keeps in θ is the textbook's look-ahead point. As with momentum, PyTorch "
        "keeps γ outside the buffer, so the forms part when the learning rate changes.",
        "教科书写法(Sutskever 等,2013)在“前瞻点”处求梯度:v_t = μ v_(t−1) − γ ∇f(θ_(t−1) + μ v_(t−1)),"
        "θ_t = θ_(t−1) + v_t。PyTorch(以及 Keras:θ ← θ + μ v_t − γ g_t)把它改写成在参数当前所在的点求梯度:"
        "b_t = μ b_(t−1) + g_t,θ_t = θ_(t−1) − γ (g_t + μ b_t)。两者是同一个方法;PyTorch 的 θ 就是教科书中的"
        "前瞻点。与动量法一样,PyTorch 把 γ 放在缓冲之外,所以学习率变化时两种写法会分开。",
    ),
    "opt.convention.adagrad": (
        "PyTorch starts the sum at `initial_accumulator_value` = 0 and adds ε = 1e-10 after the "
        "square root, so the very first step moves each coordinate by about γ (g/|g|). Keras, "
        "used in 「\\[深度学习\\] 卷积神经网络CNN」, starts the sum at 0.1 and uses ε = 1e-7, so its first "
        "steps are smaller. `lr_decay` (0 here) would divide γ by 1 + (t − 1)·lr_decay.",
        "PyTorch 的累加和从 `initial_accumulator_value` = 0 开始,ε = 1e-10 加在平方根之后,所以第一步每个坐标"
        "大约移动 γ(g/|g|)。《\\[深度学习\\] 卷积神经网络CNN》所用的 Keras 从 0.1 开始累加,ε = 1e-7,"
        "所以它最初几步更小。`lr_decay`(这里为 0)会把 γ 除以 1 + (t − 1)·lr_decay。",
    ),
    "opt.convention.rmsprop": (
        "PyTorch's default decay is α = 0.99 and it adds ε after the square root: γ g/(√v + ε). "
        "Keras (the library of the code in 「\\[深度学习\\] 卷积神经网络CNN」) uses ρ = 0.9 by default and, "
        "as the PyTorch documentation notes, TensorFlow interchanges the square root and the "
        "addition of ε. With α = 0.99 the average remembers about 100 steps, with 0.9 about 10.",
        "PyTorch 默认的衰减率 α = 0.99,ε 加在平方根之后:γ g/(√v + ε)。Keras(《\\[深度学习\\] 卷积神经网络CNN》"
        "中代码所用的库)默认 ρ = 0.9;而且正如 PyTorch 文档所说,TensorFlow 把开平方和加 ε 的顺序对调了。"
        "α = 0.99 时滑动平均大约记住 100 步,0.9 时大约 10 步。",
    ),
    "opt.convention.adam": (
        "PyTorch's `torch.optim.Adam` is Algorithm 1 of Kingma and Ba (2015): bias corrections "
        "1 − β₁ᵗ and 1 − β₂ᵗ, ε = 1e-8 added to √v̂. Keras's default ε is 1e-7. Note what the "
        "corrections do at step 1: m̂ = g and v̂ = g², so the first step moves each coordinate by "
        "almost exactly γ, whatever the size of the gradient.",
        "PyTorch 的 `torch.optim.Adam` 就是 Kingma 和 Ba(2015)的算法 1:偏差修正 1 − β₁ᵗ 和 1 − β₂ᵗ,"
        "ε = 1e-8 加在 √v̂ 上。Keras 默认 ε 为 1e-7。注意第 1 步时修正的效果:m̂ = g,v̂ = g²,"
        "所以无论梯度多大,第一步每个坐标几乎都恰好移动 γ。",
    ),
    "opt.convention.adamw": (
        "AdamW (Loshchilov and Hutter, 2019) decays the weights directly, θ ← θ − γλθ, outside "
        "the moment estimates. Adam with `weight_decay` instead adds λθ to the gradient (L2 "
        "regularisation), which then gets divided by √v̂ like the rest of the gradient, so "
        "large-gradient weights are barely decayed. Here λ = 0.01, PyTorch's default.",
        "AdamW(Loshchilov 和 Hutter,2019)直接衰减权重,θ ← θ − γλθ,与矩估计无关。而带 `weight_decay` 的 "
        "Adam 是把 λθ 加到梯度上(L2 正则化),之后它和梯度的其余部分一样被 √v̂ 除,于是梯度大的权重几乎得不到衰减。"
        "这里 λ = 0.01,即 PyTorch 的默认值。",
    ),
    "opt.convention.adamax": (
        "Adamax (Kingma and Ba, 2015, section 7.1) replaces √v by u_t = max(β₂ u_(t−1), |g_t|), "
        "which needs no bias correction. PyTorch adds ε to |g_t| inside the maximum, so u is "
        "never 0.",
        "Adamax(Kingma 和 Ba,2015,第 7.1 节)用 u_t = max(β₂ u_(t−1), |g_t|) 代替 √v,它不需要偏差修正。"
        "PyTorch 在取最大值时把 ε 加到 |g_t| 上,所以 u 永远不为 0。",
    ),
    "opt.convention.nadam": (
        "PyTorch follows Dozat (2016): the momentum coefficient grows over the first steps, "
        "μ_t = β₁ (1 − ½·0.96^(tψ)) with ψ = 0.004, and the corrected moment mixes the next "
        "step's momentum μ_(t+1) m_t with the current gradient (the Nesterov look-ahead). Keras's "
        "Nadam uses the same schedule.",
        "PyTorch 采用 Dozat(2016)的写法:动量系数在最初几步逐渐增大,μ_t = β₁ (1 − ½·0.96^(tψ)),ψ = 0.004;"
        "修正后的一阶矩把下一步的动量 μ_(t+1) m_t 与当前梯度混合(即 Nesterov 的前瞻)。Keras 的 Nadam 使用相同的调度。",
    ),
    # ---- 4. too large, too small ----
    "opt.ss.title": ("4. A learning rate too large, and too small", "4. 学习率太大与太小"),
    "opt.ss.intro": (
        "Plain SGD on the bowl f = ½ (λ_max x² + λ_min y²), with the condition number chosen "
        "above. One step multiplies the distance to the minimum along x by (1 − lr·λ_max) and "
        "along y by (1 − lr·λ_min). Along x it shrinks only if |1 − lr·λ_max| < 1, that is "
        "lr < 2/λ_max.",
        "在碗形曲面 f = ½ (λ_max x² + λ_min y²) 上运行普通 SGD,条件数取上面选定的值。每一步把 x 方向到极小值的"
        "距离乘以 (1 − lr·λ_max),把 y 方向的距离乘以 (1 − lr·λ_min)。只有当 |1 − lr·λ_max| < 1,即 "
        "lr < 2/λ_max 时,x 方向的距离才会缩小。",
    ),
    "opt.ss.curvature": ("Steepest curvature λ_max", "最大曲率 λ_max"),
    "opt.ss.lr": ("Learning rate of SGD", "SGD 的学习率"),
    "opt.ss.numbers": (
        "From the Hessian (autograd): λ_max = **{lam_max}**, λ_min = **{lam_min}** (κ = {kappa}).  \n"
        "Threshold: 2/λ_max = **{threshold}**.  \n"
        "With lr = {lr}: along x, 1 − lr·λ_max = **{steep}** (measured on the run: {measured_steep}); "
        "along y, 1 − lr·λ_min = **{flat}** (measured: {measured_flat}).",
        "由海森矩阵(自动求导)得到:λ_max = **{lam_max}**,λ_min = **{lam_min}**(κ = {kappa})。  \n"
        "阈值:2/λ_max = **{threshold}**。  \n"
        "取 lr = {lr}:x 方向 1 − lr·λ_max = **{steep}**(实际运行测得:{measured_steep});"
        "y 方向 1 − lr·λ_min = **{flat}**(测得:{measured_flat})。",
    ),
    "opt.ss.above": (
        "lr = {lr} is above 2/λ_max = {threshold}: every step overshoots the valley floor by "
        "more than it started, so the zig-zag grows.",
        "lr = {lr} 大于 2/λ_max = {threshold}:每一步都越过谷底,而且越过的距离比出发时更远,所以来回摆动越来越大。",
    ),
    "opt.ss.below": (
        "lr = {lr} is below 2/λ_max = {threshold}: the steep direction settles (it zig-zags "
        "if lr > 1/λ_max); the flat direction decides how long it takes.",
        "lr = {lr} 小于 2/λ_max = {threshold}:陡的方向会稳定下来(若 lr > 1/λ_max 则来回摆动);"
        "需要多长时间取决于平的方向。",
    ),
    "opt.ss.diverged_at": (
        "Diverged: the run left for infinity and stopped at step {step}.",
        "发散:这次运行奔向无穷远,在第 {step} 步停止。",
    ),
    "opt.ss.diverged": (
        "Diverged: after {steps} steps the loss is {loss}, larger than where it started.",
        "发散:{steps} 步后损失为 {loss},比出发时还大。",
    ),
    "opt.ss.close": (
        "Converged: the loss fell below 1/1000 of its start at step {step}.",
        "收敛:第 {step} 步时损失降到了起点的千分之一以下。",
    ),
    "opt.ss.slow": (
        "Too small, or too slow: after {steps} steps the loss is still {loss} (it started at "
        "{start}).",
        "太小,或太慢:{steps} 步后损失仍为 {loss}(起点为 {start})。",
    ),
    "opt.ss.notice": (
        "**What to notice.** Slide lr across 2/λ_max: just below, the path zig-zags but "
        "settles; just above, the same zig-zag grows until the run explodes. Now make the bowl "
        "narrower (a larger κ above): the threshold stays at 2/λ_max, but the flat direction's "
        "factor 1 − lr·λ_min creeps towards 1, so the largest stable learning rate crawls along "
        "y. That is why ill-conditioned losses train slowly with plain SGD, and why momentum and "
        "adaptive optimizers help.",
        "**值得注意。**把 lr 滑过 2/λ_max:略低于它时,路径来回摆动但会稳定;略高于它时,同样的摆动越来越大,"
        "直到运行爆炸。再把碗变窄(把上面的 κ 调大):阈值仍是 2/λ_max,但平的方向的因子 1 − lr·λ_min 越来越接近 1,"
        "所以即使用最大的稳定学习率,y 方向也只能缓慢爬行。这就是为什么病态的损失用普通 SGD 训练得很慢,"
        "也是动量和自适应优化器有用的原因。",
    ),
    # ---- 5. two trainings on the shapes ----
    "opt.train.title": ("5. Two optimizers, one real network", "5. 两个优化器,一个真实网络"),
    "opt.train.intro": (
        "The same small CNN (two conv blocks, 8 and 16 filters), the same 800 training images of "
        "the built-in shapes, the same seed, so the same starting weights: only the optimizer and "
        "its learning rate differ. Both runs train in the background, one after the other.",
        "同一个小型 CNN(两个卷积块,8 个和 16 个卷积核)、同样的 800 张内置形状训练图像、同一个随机种子,"
        "因此初始权重也相同:只有优化器和学习率不同。两次训练在后台依次进行。",
    ),
    "opt.train.optimizer": ("Optimizer", "优化器"),
    "opt.train.lr": ("Learning rate", "学习率"),
    "opt.train.epochs": ("Epochs", "训练轮数"),
    "opt.train.start": ("Train both", "训练两者"),
    "opt.train.stop": ("Stop", "停止"),
    "opt.train.same": (
        "Pick two different settings: the two runs would be identical.",
        "请选择两组不同的设置:否则两次训练会完全相同。",
    ),
    "opt.train.busy": (
        "The two runs are still training; stop them first.",
        "两次训练仍在进行中;请先停止它们。",
    ),
    "opt.train.queued": (
        "Waiting for a free worker (position {position} in the queue).",
        "正在等待空闲的工作进程(队列中第 {position} 位)。",
    ),
    "opt.train.progress": (
        "Training run {index} of {total}",
        "正在训练第 {index} 次,共 {total} 次",
    ),
    "opt.train.failed": ("The training stopped: {error}", "训练停止了:{error}"),
    "opt.train.run_name": ("{name}, lr {lr}", "{name},学习率 {lr}"),
    "opt.train.notice": (
        "**What to notice.** The two runs start from exactly the same weights, so any gap "
        "between the curves is the optimizer's doing. A good learning rate is specific to the "
        "optimizer: Adam's typical 1e-3 would crawl with SGD, SGD's 0.1 would blow Adam up. "
        "Both runs are now in the run history: compare them in the Overfitting lab.",
        "**值得注意。**两次训练从完全相同的权重开始,所以曲线之间的差距完全来自优化器。合适的学习率因优化器而异:"
        "Adam 常用的 1e-3 对 SGD 来说太慢,SGD 的 0.1 会让 Adam 失控。两次训练现在都在训练记录里:可以到"
        "“过拟合实验室”中比较它们。",
    ),
    # ---- input errors of the learning explorers ----
    "learn.error.lr_nan": (
        "The learning rate of {name} is {value}, not a number: type a positive number such as 0.01.",
        "{name} 的学习率是 {value},不是一个数:请输入一个正数,例如 0.01。",
    ),
    "learn.error.lr_text": (
        "“{text}” is not a learning rate for {name}: type a positive number such as 0.01 or 3e-3.",
        "“{text}”不是 {name} 的学习率:请输入一个正数,例如 0.01 或 3e-3。",
    ),
    "learn.error.lr_zero": (
        "A learning rate of 0 for {name} would never move: choose a positive number such as 0.01.",
        "{name} 的学习率为 0 时永远不会移动:请选择一个正数,例如 0.01。",
    ),
    "learn.error.lr_negative": (
        "The learning rate of {name} is negative ({value}): that climbs the loss instead of "
        "descending. Choose a positive number.",
        "{name} 的学习率是负数({value}):那样会沿损失往上爬而不是往下走。请选择一个正数。",
    ),
    "learn.error.lr_small": (
        "The learning rate of {name} ({value}) is below {low}: nothing would visibly move. "
        "Choose a larger one.",
        "{name} 的学习率({value})小于 {low}:看不出任何移动。请选择更大的值。",
    ),
    "learn.error.lr_large": (
        "The learning rate of {name} ({value}) is above {high}: every surface here explodes at "
        "the first step. Choose at most {high}.",
        "{name} 的学习率({value})大于 {high}:这里的每个曲面第一步就会爆炸。请选择不超过 {high} 的值。",
    ),
    "learn.error.optimizer": (
        "Unknown optimizer {kind}; choose one of {allowed}.",
        "未知的优化器 {kind};请从 {allowed} 中选择。",
    ),
    "learn.error.no_racer": (
        "Pick at least one optimizer for the race.",
        "请至少选择一个参赛的优化器。",
    ),
    "learn.error.racer_twice": (
        "Each optimizer can run only once in a race.",
        "每个优化器在一次赛跑中只能出现一次。",
    ),
    "learn.error.steps": (
        "The number of steps must be a whole number from 1 to {high} (got {value}).",
        "步数必须是 1 到 {high} 之间的整数(当前为 {value})。",
    ),
    "learn.error.start_nan": (
        "The start point {point} is not a pair of numbers.",
        "起点 {point} 不是一对数。",
    ),
    "learn.error.start_outside": (
        "The start point ({x:g}, {y:g}) is off the plotted range x ∈ [{x0:g}, {x1:g}], "
        "y ∈ [{y0:g}, {y1:g}]: choose a point inside, or click the contour.",
        "起点 ({x:g}, {y:g}) 超出了绘图范围 x ∈ [{x0:g}, {x1:g}],y ∈ [{y0:g}, {y1:g}]:"
        "请选择范围内的点,或直接点击等高线图。",
    ),
    "learn.error.noise": (
        "The noise σ must be between 0 and {high} (got {value}).",
        "噪声 σ 必须在 0 到 {high} 之间(当前为 {value})。",
    ),
    "learn.error.seed": (
        "The seed must be a whole number, 0 or more (got {value}).",
        "随机种子必须是不小于 0 的整数(当前为 {value})。",
    ),
    "learn.error.surface": ("Unknown surface {kind}.", "未知的曲面 {kind}。"),
    "learn.error.surface_param": (
        "{name} must be between {low:g} and {high:g} (got {value}).",
        "{name} 必须在 {low:g} 到 {high:g} 之间(当前为 {value})。",
    ),
    "learn.error.inspect_step": (
        "Step {step} does not exist: this optimizer took steps 1 to {last}.",
        "第 {step} 步不存在:这个优化器只走了第 1 到第 {last} 步。",
    ),
}
