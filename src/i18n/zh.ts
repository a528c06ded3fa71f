import type { en, enUi } from './en.js';

type Catalogue<T> = { [Rule in keyof T]: { [Id in keyof T[Rule]]: string } };

/** 中文消息，与 en.ts 的键一一对应（缺一条即编译错误）。 */
export const zh: Catalogue<typeof en> = {
  'file.decode': {
    ok: '文件可正常读取和解码（{format}）。',
    empty: '文件为空（0 字节）。请从原处重新复制照片。',
    truncated: '{format} 文件不完整（复制或下载中断）。请重新复制或下载。',
    corrupt: '{format} 文件已损坏，无法解码（{reason}）。请从相机或手机重新导出照片。',
    heic: '这是 HEIC 格式照片（iPhone 默认格式），无法解码。请导出为 JPG：iPhone 上选“设置 > 相机 > 格式 > 兼容性最佳”，或通过“共享/存储到文件”导出为 JPEG；Mac 上用“预览”打开，选“文件 > 导出 > JPEG”。',
    unsupportedJpeg: '该 JPEG 使用 {coding} 编码，gradphoto（以及多数浏览器和上传系统）无法解码。请重新保存为普通 8 位 baseline JPEG。',
    unsupportedFormat: '无法解码 {format} 文件。请用图片编辑软件或手机另存为 JPG。',
    notAnImage: '该文件不是图片（文件头不符合任何图片格式）。请选择照片文件本身。',
    tooManyPixels: '图片声明尺寸 {width}×{height} 像素，超过 {limitMP} 百万像素的安全上限，未解码。请导出较小的副本（照片只需 480×640）。',
    notFound: '找不到文件或文件夹：{path}。请检查路径。',
    noPermission: '没有权限读取 {path}。请把照片复制到可读取的位置，或修改文件权限。',
    isDirectory: '{path} 是一个名字像照片的文件夹。请传入照片文件本身，或重命名该文件夹。',
    notRegularFile: '{path} 不是普通文件（设备、套接字或管道）。请传入照片文件本身。',
    symlinkLoop: '{path} 是循环指向自身的符号链接。请让它指向真正的照片。',
    readFailed: '无法读取 {path}（{reason}）。请重新复制照片后再试。',
    fileTooLarge: '文件有 {bytes} 字节，超过 {limitMB} MB 的安全上限，不可能是毕业照片；请导出 480×640 的 JPG。',
    emptyFolder: '文件夹 {path} 中没有找到照片（查找 .jpg/.jpeg 文件以及文件头为图片的任何文件）。',
  },
  'file.format': {
    ok: 'JPEG（{coding}），扩展名 .jpg。',
    notJpeg: '文件实际是 {format} 格式，不是 JPEG（扩展名为 {extension}）。请转换为 JPG，例如用 `gradphoto fix`，或在相册应用中导出为 JPEG。',
    heic: '文件实际是 HEIC 格式（iPhone 格式），与扩展名 {extension} 不符。请导出为 JPG（“设置 > 相机 > 格式 > 兼容性最佳”，或共享为 JPEG）。',
    wrongExtension: '文件是 JPEG，但扩展名是 {extension}。请改为 .jpg。',
    progressive: '渐进式 JPEG：格式合法，但部分上传系统不接受。`gradphoto fix` 会输出基线（baseline）JPEG。',
    unusualCoding: '该 JPEG 使用 {coding} 编码，浏览器和上传系统常常无法读取。请重新保存为普通（baseline）JPEG。',
    twelveBit: '该 JPEG 为 12 位采样，浏览器和上传系统无法读取。请重新保存为普通 8 位 JPEG。',
  },
  'file.trailing-data': {
    ok: 'JPEG 结束标记后没有多余数据。',
    trailing: 'JPEG 结束标记后还有 {bytes} 字节（为凑文件大小而填充，或文件被覆盖了一半），部分上传系统会拒收。请重新保存照片（`gradphoto fix`）。',
    secondImage: '第一张图片后面还附带了第二张图片（{bytes} 字节，MPO/立体或连拍文件）。请导出单张 JPEG。',
    notJpeg: '不是 JPEG（{format}），无需检查结束标记。',
    noEnd: 'JPEG 缺少结束标记（文件不完整），无法测量。',
  },
  'file.size': {
    ok: '{kb} KB（{bytes} 字节），在 {min}–{max} 字节范围内。',
    tooSmall: '{kb} KB（{bytes} 字节），小于 {min} 字节（30 KB）。请以更高质量保存；`gradphoto fix` 可自动调整到范围内。',
    tooLarge: '{kb} KB（{bytes} 字节），大于 {max} 字节（40 KB）。请降低保存质量或缩放到 480×640；`gradphoto fix` 可自动调整到范围内。',
    nearLow: '{kb} KB（{bytes} 字节）：低于 {min} 字节（30×1024）但高于 30000 字节，只有按 1 KB = 1000 字节计算的上传系统才会通过。建议调整到 {min}–{max} 字节。',
    nearHigh: '{kb} KB（{bytes} 字节）：高于 {max} 字节但不超过 40×1024，只有按 1 KB = 1024 字节计算的上传系统才会通过。建议调整到 {min}–{max} 字节。',
  },
  'image.dimensions': {
    ok: '{width}×{height} 像素。',
    rightAspect: '{width}×{height} 像素，不是 {expectedWidth}×{expectedHeight}；3:4 比例正确，缩放即可（`gradphoto fix`）。',
    wrongAspect: '{width}×{height} 像素，不是 {expectedWidth}×{expectedHeight}（宽×高），也不是 3:4。请以头部为中心裁成 3:4 再缩放（`gradphoto fix` 可一并完成）。',
    landscape: '{width}×{height} 像素为横向；照片须为竖向 {expectedWidth}×{expectedHeight}。请以头部为中心竖向裁切（`gradphoto fix`）。',
  },
  'image.color': {
    ok: '24 位彩色（sRGB，3×8 位）。',
    cmyk: 'CMYK 色彩（印刷用文件）。请转换为 RGB/sRGB（`gradphoto fix`）。',
    greyscale: '灰度图。照片必须是彩色的，请使用彩色原片。',
    noColour: '图片没有色彩（平均色度 {chroma}），是保存为 RGB 的黑白照片。请使用彩色照片。',
    sixteenBit: '{depth} 采样（每通道 16 位）。请保存为普通 8 位 JPEG。',
    alpha: '带透明通道。请在蓝色背景上保存为 JPEG（无透明）。',
    otherProfile: '色彩配置文件为“{profile}”，不是 sRGB，上传后颜色可能偏差。请转换为 sRGB（`gradphoto fix`）。',
  },
  'image.orientation': {
    ok: '没有 EXIF 旋转标记。',
    rotated90: 'EXIF 方向为 {orientation}：像素按旋转 90° 存储，忽略该标记的上传系统会把照片显示成横躺的。`gradphoto fix` 会把旋转写入像素。',
    rotated180: 'EXIF 方向为 {orientation}：像素上下颠倒存储。`gradphoto fix` 会把旋转写入像素。',
    rotated270: 'EXIF 方向为 {orientation}：像素按旋转 270° 存储，忽略该标记的上传系统会把照片显示成横躺的。`gradphoto fix` 会把旋转写入像素。',
    mirrored: 'EXIF 方向为 {orientation}：照片是镜像存储的。标准禁止镜像照片，请使用相机原片。',
  },
  'image.dpi': {
    ok: '{dpi} dpi。',
    other: '标记分辨率为 {dpi} dpi，标准要求 {expected} dpi。像素尺寸才是关键，但 `gradphoto fix` 会设为 {expected} dpi。',
    missing: '未标记分辨率，标准要求 {expected} dpi。`gradphoto fix` 会设置。',
  },
  'image.jpeg-quality': {
    ok: 'JPEG 质量约 {quality}（不低于 {min}）。',
    tooLow: 'JPEG 质量约 {quality}，低于 {min}，压缩损伤明显。请用原片以更高质量保存（`gradphoto fix` 保证不低于 {min}）。',
    notJpeg: '不是 JPEG（{format}），无法估计质量。',
    noTables: 'JPEG 中没有量化表，无法估计质量。',
  },
};

export const zhUi: { [K in keyof typeof enUi]: (typeof enUi)[K] extends string ? string : { [S in keyof (typeof enUi)[K]]: string } } = {
  verdict: { pass: '通过', fail: '不通过', error: '错误' },
  status: { pass: '通过', warn: '注意', fail: '不通过', skip: '跳过' },
  header: 'gradphoto · 标准 {profile} · 共 {total} 个文件',
  summary: '汇总：共 {total} 个文件：{pass} 个通过，{fail} 个不通过，{error} 个错误',
  failingRules: '不通过的规则：',
  warningRules: '需注意：',
  internalError: '规则 {rule} 内部出错（{reason}），其余规则已运行。请报告此问题。',
  unknownMessage: '（{rule}：{messageId}）',
};
