"""Strings of the Build page's U-Net exports (PyTorch code, JSON, share link) and the problems
found reading a U-Net document or link (:mod:`cnnviz.net.unet_io`)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "unet_export.title": ("Export and share this U-Net", "导出与分享这个 U-Net"),
    "unet_export.tab_code": ("PyTorch code", "PyTorch 代码"),
    "unet_export.tab_json": ("JSON file", "JSON 文件"),
    "unet_export.tab_share": ("Share link", "分享链接"),
    "unet_export.code_help": (
        "A standalone Python file: the residual block, this U-Net with the shape of every map in "
        "a comment, and a short usage at the bottom. It needs only PyTorch.",
        "一个独立的 Python 文件:残差块、这个 U-Net(每个特征图的形状写在注释里),以及文件末尾的简短用法。"
        "只需要 PyTorch 即可运行。",
    ),
    "unet_export.download_code": ("Download .py", "下载 .py"),
    "unet_export.download_json": ("Download .json", "下载 .json"),
    "unet_export.json_help": (
        "The U-Net's settings as a small JSON document (format cnnviz.unet, version {version}).",
        "U-Net 的设置,保存为一个小的 JSON 文档(格式 cnnviz.unet,版本 {version})。",
    ),
    "unet_export.share_help": (
        "Copy this link (button at the right): it opens the Build page with the same U-Net.",
        "复制这个链接(右侧的按钮):打开它会在“搭建 CNN”页面显示同样的 U-Net。",
    ),
    "unet_export.no_code": (
        "No code while the input size does not fit the depth; fix the size first (see above).",
        "输入尺寸与深度不匹配时无法生成代码;请先修正尺寸(见上文)。",
    ),
    "unet_export.link_restored": (
        "U-Net restored from the shared link.",
        "已从分享链接恢复 U-Net。",
    ),
    "unet_export.link_bad": (
        "The U-Net in this link could not be restored; nothing was changed.",
        "无法从这个链接恢复 U-Net;当前内容保持不变。",
    ),
    # ---- problems found reading a U-Net document or link (cnnviz.net.unet_io) ----
    "problem.unet_format": (
        "this is not a cnnviz U-Net document (format is {value}, expected {expected}); download "
        "the U-Net again from the Build page.",
        "这不是 cnnviz 的 U-Net 文档(format 为 {value},应为 {expected});请在“搭建 CNN”页面重新下载 U-Net。",
    ),
    "problem.bad_unet_token": (
        "the U-Net share link is damaged or incomplete, so the U-Net could not be restored; copy "
        "the whole link again.",
        "U-Net 分享链接已损坏或不完整,无法恢复 U-Net;请重新复制完整的链接。",
    ),
}
