"""Strings of teaching with cnnviz: the live class (and its errors)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "class.error.unknown_code": (
        "There is no class with this code (or it has ended). Check the code on the projector.",
        "没有使用这个代码的课堂(或课堂已结束)。请核对投影上的代码。",
    ),
    "class.error.not_teacher": (
        "Only the teacher's link can do this.",
        "只有教师链接才能进行此操作。",
    ),
    "class.error.too_many_classes": (
        "This server already runs {maximum} classes; end one or try again later.",
        "本服务器已有 {maximum} 个课堂在进行;请结束一个或稍后再试。",
    ),
    "class.error.full": (
        "This class is full ({maximum} students).",
        "本课堂人数已满({maximum} 名学生)。",
    ),
    "class.error.not_joined": (
        "Join the class first, with the code on the projector.",
        "请先用投影上的代码加入课堂。",
    ),
    "class.error.text_too_long": (
        "That text is too long; keep it under {limit} characters.",
        "文字太长;请控制在 {limit} 个字符以内。",
    ),
    "class.error.bad_lesson": (
        "This lesson name is not valid.",
        "这个课程名称无效。",
    ),
    "class.error.bad_mode": (
        "Choose follow or free exploration.",
        "请选择“跟随”或“自由探索”。",
    ),
    "class.error.bad_question": (
        "A question needs a prompt and, for multiple choice, 2 to 10 options with the right one chosen; a numeric answer must be a number.",
        "问题需要题干;选择题需要 2 到 10 个选项并选定正确答案;数值题的答案必须是数字。",
    ),
    "class.error.too_many_questions": (
        "This class has asked too many questions; start a new class.",
        "本课堂提问次数过多;请开始新的课堂。",
    ),
    "class.error.no_question": (
        "This question does not exist (any more).",
        "这个问题不存在(或已不存在)。",
    ),
    "class.error.revealed": (
        "The answer has been revealed: answers are closed.",
        "答案已公布,不再接受作答。",
    ),
    "class.error.bad_answer": (
        "That answer is not valid; choose an option or type a number.",
        "这个答案无效;请选择一个选项或输入一个数字。",
    ),
    "class.error.answered": (
        "You have already answered this question.",
        "你已经回答过这个问题了。",
    ),
    "class.error.too_many_answers": (
        "This question has received the most answers it can take.",
        "这个问题收到的答案已达上限。",
    ),
    "class.error.store_down": (
        "The class store (Redis) cannot be reached right now. Wait a few seconds: this page reconnects by itself and nothing you did before is lost.",
        "暂时无法连接课堂存储(Redis)。请稍候几秒:本页会自动重新连接,之前的操作不会丢失。",
    ),
    "class.error.store_url": (
        "CNNVIZ_REDIS_URL is not a valid Redis address; set it like redis://host:6379/0 and restart the app.",
        "CNNVIZ_REDIS_URL 不是有效的 Redis 地址;请设置为 redis://host:6379/0 这样的形式并重启应用。",
    ),
    "class.error.store_client": (
        'CNNVIZ_REDIS_URL is set but the redis package is not installed: pip install "redis>=5,<9", then restart the app.',
        '已设置 CNNVIZ_REDIS_URL,但未安装 redis 包:请运行 pip install "redis>=5,<9" 后重启应用。',
    ),
}
