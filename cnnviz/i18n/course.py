"""Strings of the guided lessons (/lessons, /lesson), the syllabus, presenter mode and the live
class page (/class). The lessons' own narration lives in their files (cnnviz/teach/lessons/)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # lesson files with errors: every message names the file, the step and the field
    "lesson.error.bad_toml": (
        "{file}: not valid TOML ({detail}).",
        "{file}:不是有效的 TOML({detail})。",
    ),
    "lesson.error.bad_id": (
        '{file}: field "id" must be a short name of letters, digits, - and _.',
        '{file}:字段 "id" 必须是由字母、数字、- 和 _ 组成的简短名称。',
    ),
    "lesson.error.no_steps": (
        "{file}: a lesson needs at least one [[steps]] table.",
        "{file}:一节课至少需要一个 [[steps]] 表。",
    ),
    "lesson.error.missing_table": (
        '{file}, step {step}: field "{field}" must be a table.',
        '{file},第 {step} 步:字段 "{field}" 必须是一个表。',
    ),
    "lesson.error.bad_text": (
        '{file}, step {step}: field "{field}" needs a non-empty English and Chinese text: {{ en = "...", zh = "..." }}.',
        '{file},第 {step} 步:字段 "{field}" 需要非空的英文和中文文本:{{ en = "...", zh = "..." }}。',
    ),
    "lesson.error.bad_number": (
        '{file}, step {step}: field "{field}" must be a whole number from {low} to {high}.',
        '{file},第 {step} 步:字段 "{field}" 必须是 {low} 到 {high} 之间的整数。',
    ),
    "lesson.error.bad_choice": (
        '{file}, step {step}: field "{field}" must be one of: {allowed}.',
        '{file},第 {step} 步:字段 "{field}" 必须是以下之一:{allowed}。',
    ),
    "lesson.error.bad_real": (
        '{file}, step {step}: field "{field}" must be a number from {low} to {high}.',
        '{file},第 {step} 步:字段 "{field}" 必须是 {low} 到 {high} 之间的数。',
    ),
    "lesson.error.bad_names": (
        '{file}, step {step}: field "{field}" must list {low} to {high} different names from: {allowed}.',
        '{file},第 {step} 步:字段 "{field}" 必须列出 {low} 到 {high} 个不同的名称,取自:{allowed}。',
    ),
    "lesson.error.bad_list": (
        '{file}, step {step}: field "{field}" must be a list of {low} to {high} numbers.',
        '{file},第 {step} 步:字段 "{field}" 必须是包含 {low} 到 {high} 个数字的列表。',
    ),
    "lesson.error.bad_labels": (
        '{file}, step {step}: field "{field}" must list {count} labels, one per logit.',
        '{file},第 {step} 步:字段 "{field}" 必须列出 {count} 个标签,每个 logit 一个。',
    ),
    "lesson.error.no_concepts": (
        '{file}, step {step}: field "{field}" must list at least one concept the step teaches.',
        '{file},第 {step} 步:字段 "{field}" 必须列出这一步讲授的至少一个概念。',
    ),
    "lesson.error.unknown_concept": (
        '{file}, step {step}: field "{field}": unknown concept "{value}" (see the syllabus for the names).',
        '{file},第 {step} 步:字段 "{field}":未知概念 "{value}"(名称见课程大纲)。',
    ),
    "lesson.error.check_needs": (
        '{file}, step {step}: a "{kind}" check needs a step that shows one of: {shows}.',
        '{file},第 {step} 步:"{kind}" 类型的检查题需要这一步展示以下之一:{shows}。',
    ),
    "lesson.error.typed_answer": (
        '{file}, step {step}: field "{field}": cnnviz computes this answer from the step; remove it from the file.',
        '{file},第 {step} 步:字段 "{field}":这个答案由 cnnviz 根据这一步计算得出;请从文件中删除它。',
    ),
    "lesson.error.bad_options": (
        '{file}, step {step}: field "{field}" must list 2 to 6 options.',
        '{file},第 {step} 步:字段 "{field}" 必须列出 2 到 6 个选项。',
    ),
    "lesson.error.bad_show": (
        '{file}, step {step}: field "{field}": the interactive cannot be shown: {detail}',
        '{file},第 {step} 步:字段 "{field}":无法展示这个交互内容:{detail}',
    ),
    "lesson.error.duplicate_id": (
        '{file}: field "{field}": another lesson is already called "{value}".',
        '{file}:字段 "{field}":已有另一节课叫 "{value}"。',
    ),
    # navigation and home
    "nav.section.teach": ("Teach", "教学"),
    "nav.lessons": ("Lessons", "课程"),
    "nav.lesson": ("Lesson", "课"),
    "nav.class": ("Live class", "实时课堂"),
    "home.card.lessons": (
        "Guided lessons in course order, from convolution to pruning: short narration, the explorers' own figures set "
        "for each step, and check questions whose answers cnnviz computes. The syllabus maps every concept to its step.",
        "按课程顺序的引导课程,从卷积到剪枝:简短讲解、每一步设置好的探索页图形,以及由 cnnviz 计算答案的检查题。课程大纲把每个概念对应到讲授它的步骤。",
    ),
    "home.card.class": (
        "A teacher starts a class and shows its join code and QR code; students join from their devices, follow the "
        "teacher's lesson step live and answer questions, and the teacher sees a live histogram of the answers.",
        "教师开设课堂并展示加入代码和二维码;学生用自己的设备加入,实时跟随教师的课程步骤并回答问题,教师能看到答案的实时直方图。",
    ),
    # the course page
    "lessons.title": ("Guided lessons", "引导课程"),
    "lessons.intro": (
        "Thirteen lessons in course order. Each step explains one idea in a few sentences, shows it in the figure of the "
        "page that explores it, and asks a check question. Your place is in the link: bookmark it to resume. Add "
        "`?present=1` to any address for presenter mode (arrow keys move between steps).",
        "按课程顺序排列的 13 节课。每一步用几句话讲解一个概念,用探索该概念的页面图形展示它,并提出一个检查题。你的进度保存在链接里:收藏链接即可继续。在任何地址后加上 `?present=1` 进入演示模式(方向键切换步骤)。",
    ),
    "lessons.to_class": ("Teach a live class with these lessons", "用这些课程开设实时课堂"),
    "lessons.progress": ("{seen} of {total} steps seen", "已看 {seen}/{total} 步"),
    "syllabus.title": ("Syllabus", "课程大纲"),
    "syllabus.intro": (
        "Every concept the source articles teach, the lesson step that teaches it, and the page that explores it.",
        "参考文章讲授的每个概念、讲授它的课程步骤,以及探索它的页面。",
    ),
    "syllabus.concept": ("Concept", "概念"),
    "syllabus.step": ("Lesson step", "课程步骤"),
    "syllabus.explorer": ("Explore it on", "探索页面"),
    "syllabus.no_home": ("no lesson yet", "暂无课程"),
    "syllabus.errors_title": ("Lesson files with errors", "有错误的课程文件"),
    "syllabus.errors_intro": (
        "These files were skipped; every other lesson runs. Fix the field named in each message.",
        "这些文件已被跳过,其他课程照常运行。请修改每条消息中指出的字段。",
    ),
    # the lesson page
    "lesson.title": ("Lesson", "课程"),
    "lesson.unknown": (
        'There is no lesson called "{name}". Choose one from the list of lessons.',
        "没有名为“{name}”的课。请从课程列表中选择。",
    ),
    "lesson.all_lessons": ("All lessons and the syllabus", "全部课程与课程大纲"),
    "lesson.back": ("Back", "上一步"),
    "lesson.next": ("Next", "下一步"),
    "lesson.step_of": ("Step {n} of {total}", "第 {n} 步,共 {total} 步"),
    "lesson.position": (
        "Output position (0 to {count} - 1): move it and watch the window",
        "输出位置(0 到 {count} - 1):移动它,观察窗口",
    ),
    "lesson.softmax_title": ("Softmax probabilities", "softmax 概率"),
    "lesson.open_full": ("Open in the full page: {page}", "在完整页面中打开:{page}"),
    # the explorers' figures inside a lesson step (pages/teach/explore.py)
    "lesson.pick_one": (
        "Pick at least one; the step's own choice is shown meanwhile.",
        "请至少选择一项;在此之前显示本步骤自带的选择。",
    ),
    "lesson.stage.pick": ("Stage of the worked example", "例题的阶段"),
    "lesson.stage.agrees": (
        "At this stage the article's numbers agree with the computed ones.",
        "在这一阶段,文章的数字与计算结果一致。",
    ),
    "lesson.stage.wrong": (
        "At {where} the article says {article}; computed: {correct}.",
        "在 {where} 处文章给出 {article};计算结果:{correct}。",
    ),
    "lesson.act.cursor": ("Input x", "输入 x"),
    "lesson.act.readout": (
        "{name}: f({x}) = {value}, slope f′({x}) = {slope}",
        "{name}:f({x}) = {value},斜率 f′({x}) = {slope}",
    ),
    "lesson.grad.activation": ("Activation function", "激活函数"),
    "lesson.grad.ratio": (
        "One backward pass through {depth} layers: the first layer's gradient norm is {first}, the last layer's {last}.",
        "经过 {depth} 层的一次反向传播:第一层的梯度范数为 {first},最后一层为 {last}。",
    ),
    "lesson.loss.logit": ("Score (logit) of the right class {k}", "正确类别 {k} 的得分(logit)"),
    "lesson.loss.value": (
        "The right class {k} gets probability {p}; cross-entropy loss = −ln {p} = {loss}.",
        "正确类别 {k} 的概率为 {p};交叉熵损失 = −ln {p} = {loss}。",
    ),
    "lesson.opt.racers": ("Optimizers in the race (up to 4)", "参加比赛的优化器(最多 4 个)"),
    "lesson.opt.caption": (
        "{surface}, each optimizer at the Optimizers page's default learning rate; press ▶ to replay.",
        "{surface},每个优化器使用优化器页的默认学习率;按 ▶ 重新播放。",
    ),
    "lesson.sched.pick": ("Schedules", "学习率调度"),
    "lesson.sched.caption": (
        "Base learning rate {lr}, {epochs} epochs, drawn by the PyTorch schedulers the Train page uses.",
        "基础学习率 {lr},{epochs} 轮,由训练页使用的 PyTorch 调度器绘制。",
    ),
    "lesson.init.scheme": ("Initialisation", "初始化方法"),
    "lesson.init.spread_act": (
        "Standard deviation of the activations: {first} at layer 1, {last} at layer {depth}.",
        "激活值的标准差:第 1 层为 {first},第 {depth} 层为 {last}。",
    ),
    "lesson.init.spread_grad": (
        "Standard deviation of the gradients: {first} at layer 1, {last} at layer {depth}.",
        "梯度的标准差:第 1 层为 {first},第 {depth} 层为 {last}。",
    ),
    "lesson.scenario.pick": ("Lab scenario", "实验室场景"),
    "lesson.scenario.open": (
        "Open it in the Overfitting lab, ready to run",
        "在过拟合实验室中打开,可直接运行",
    ),
    "lesson.prune.sparsity": ("Share of the weights to remove", "要去掉的权重比例"),
    "lesson.prune.before": ("before pruning", "剪枝前"),
    "lesson.prune.after": ("after pruning", "剪枝后"),
    "lesson.prune.summary": (
        "{zeros} of {total} weights are now exactly zero ({pct}%): the smallest in absolute value went first.",
        "{total} 个权重中有 {zeros} 个现在恰好为 0({pct}%):绝对值最小的最先被去掉。",
    ),
    "lesson.check_title": ("Check:", "检查:"),
    "lesson.your_answer": ("Your answer", "你的答案"),
    "lesson.check": ("Check my answer", "检查答案"),
    "lesson.enter_answer": ("Enter an answer first.", "请先输入答案。"),
    "lesson.correct": ("Right!", "正确!"),
    "lesson.wrong": ("Not quite. Here is how to get it:", "不太对。解法如下:"),
    # the live class page
    "class.title": ("Live class", "实时课堂"),
    "class.intro": (
        "Teachers: start a class, project its join code and QR code, and drive the lesson; every student's page "
        "follows your step within two seconds. Students: join with the code on the projector (a nickname is optional).",
        "教师:开设课堂,投影加入代码和二维码,然后带领课程;每个学生的页面会在两秒内跟随你的步骤。学生:用投影上的代码加入(昵称可不填)。",
    ),
    "class.start_title": ("Teach", "授课"),
    "class.start": ("Start a class", "开设课堂"),
    "class.lesson": ("Lesson", "课程"),
    "class.join_title": ("Join a class", "加入课堂"),
    "class.code": ("Join code", "加入代码"),
    "class.nickname": ("Nickname (optional)", "昵称(可不填)"),
    "class.join": ("Join", "加入"),
    "class.too_many_joins": (
        "Too many join attempts: wait a minute, then check the code on the projector.",
        "加入尝试次数过多:请等一分钟,再核对投影上的代码。",
    ),
    "class.join_again": (
        "This link's student is not in the class (any more): join again.",
        "这个链接对应的学生已不在课堂中:请重新加入。",
    ),
    "class.teacher_title": ("Your class", "你的课堂"),
    "class.student_title": ("Class {code}", "课堂 {code}"),
    "class.join_code": ("Join code", "加入代码"),
    "class.join_at": ("Join at {url}", "加入地址:{url}"),
    "class.scan": ("Scan to join", "扫码加入"),
    "class.teacher_link": ("Teacher link", "教师链接"),
    "class.teacher_link_help": (
        "Keep this link to yourself: whoever opens it drives the class. Open it again to resume after closing the tab.",
        "请勿分享此链接:打开它的人可以控制课堂。关闭标签页后,再次打开它即可继续。",
    ),
    "class.let_explore": ("Let students explore freely", "允许学生自由探索"),
    "class.bring_back": ("Bring everyone back (follow)", "让所有人回来(跟随)"),
    "class.mode_follow": ("Students follow your step.", "学生跟随你的步骤。"),
    "class.mode_free": (
        "Students explore freely; press the button to bring them back to your step.",
        "学生正在自由探索;按下按钮让他们回到你的步骤。",
    ),
    "class.questions": ("Questions", "提问"),
    "class.ask_step": ("Ask this step's check question", "提出这一步的检查题"),
    "class.quick": ("Quick question", "快速提问"),
    "class.quick_prompt": ("Question", "问题"),
    "class.quick_kind": ("Kind", "类型"),
    "class.kind.choice": ("Multiple choice", "选择题"),
    "class.kind.number": ("Number", "数值题"),
    "class.quick_options": ("Options, one per line", "选项,每行一个"),
    "class.quick_right_option": (
        "Number of the right option (1 = first)",
        "正确选项的序号(1 = 第一个)",
    ),
    "class.quick_number": ("The right answer", "正确答案"),
    "class.quick_ask": ("Ask the class", "向全班提问"),
    "class.reveal": ("Reveal the answer", "公布答案"),
    "class.revealed": ("Answer revealed", "答案已公布"),
    "class.connected": ("Connected", "在线"),
    "class.answered": ("Answered", "已作答"),
    "class.training": ("Training now", "正在训练"),
    "class.waiting": ("Waiting to train", "等待训练"),
    "class.on_step": (
        "{lesson}, step {step}: {count} student(s)",
        "{lesson},第 {step} 步:{count} 名学生",
    ),
    "class.question": ("Question:", "问题:"),
    "class.teacher_words": (
        "Your teacher's words, as typed.",
        "老师输入的原话。",
    ),
    "class.quick_note": (
        "Every student sees a typed question exactly as you type it, marked as your words (there is no translator): write it in the language your class reads, or in both. A lesson's check question reaches each student in their own language.",
        "每个学生看到的快速提问与你输入的完全一致,并标注为老师的原话(这里没有翻译):请用全班能读懂的语言书写,或两种语言都写。课程的检查题会以每个学生自己的语言显示。",
    ),
    "class.stuck": ("Stuck ({count}, a wrong answer or none):", "卡住了({count} 人,答错或未作答):"),
    "class.histogram_title": ("{total} answers", "{total} 个答案"),
    "class.histogram_correct": (
        "{total} answers, {percent}% right",
        "{total} 个答案,{percent}% 正确",
    ),
    "class.following": ("You follow the teacher's step.", "你正在跟随教师的步骤。"),
    "class.free_student": (
        "Free exploration: move between steps yourself until the teacher brings everyone back.",
        "自由探索:你可以自己切换步骤,直到教师让所有人回来。",
    ),
    "class.send": ("Send my answer", "提交答案"),
    "class.answer_recorded": (
        "Your answer is in. Wait for the teacher to reveal it.",
        "你的答案已提交。请等待教师公布答案。",
    ),
    "class.answer_was": ("The answer: {answer}", "答案:{answer}"),
    "class.you_right": ("You got it right.", "你答对了。"),
    "class.you_wrong": ("Your answer was not right.", "你的答案不对。"),
}
