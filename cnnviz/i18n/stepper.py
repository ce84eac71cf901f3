"""Strings of the steppers (convolution, pooling), the worked example and the practice page."""

MESSAGES: dict[str, tuple[str, str]] = {
    # Problems raised by cnnviz.samples / ops / exercises (rendered via Problem.text).
    "problem.step_bad_sample_kind": (
        'unknown sample kind "{value}"; choose one of: {allowed}.',
        '未知的示例类型 "{value}";请从以下选择:{allowed}。',
    ),
    "problem.step_image_empty": (
        "the uploaded file is empty; upload a PNG or JPEG picture.",
        "上传的文件是空的;请上传一张 PNG 或 JPEG 图片。",
    ),
    "problem.step_image_too_big": (
        "the picture is too large ({pixels}; limit {limit}); upload a smaller picture.",
        "图片太大({pixels};上限 {limit});请上传一张更小的图片。",
    ),
    "problem.step_image_unreadable": (
        "this file could not be read as a picture ({reason}); upload a PNG or JPEG picture.",
        "无法把这个文件读取为图片({reason});请上传一张 PNG 或 JPEG 图片。",
    ),
}
