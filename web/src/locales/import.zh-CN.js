// 客户导入与导出页面的中文文本。键与 import.en.js 一致；由 locales/index.js 合并。
export default {
  documents: {
    kinds: {
      customer_import: '客户导入'
    }
  },
  imports: {
    title: '客户导入',
    intro: '把历史客户从表格批量导入档案：下载模板、填写、上传，先预检再导入。导入是一次完整的操作：要么全部成功，要么不留任何记录。',
    step1: '下载模板',
    step1Hint: '模板的列来自当前的新增客户表单（含自定义字段）；第二个工作表说明每一列的填写要求和可选值。',
    templateXlsx: 'Excel 模板 (.xlsx)',
    templateCsv: 'CSV 模板 (UTF-8)',
    step2: '上传文件',
    step2Hint: '支持 .xlsx 和 .csv（UTF-8 或 GB18030/GBK 编码），最多 10 万行、20 MB。',
    choose: '选择文件并预检',
    checking: '正在预检……',
    step3: '预检结果',
    file: '文件',
    total: '数据行',
    good: '可以导入',
    bad: '有问题',
    counts: {
      invalid: '填写有误',
      duplicate_in_file: '文件内重名',
      duplicate_in_archive: '与档案重名',
      unknown_owner: '负责人不存在',
      unknown_column: '不认识的列',
      missing_column: '缺少的列'
    },
    noProblems: '所有行都可以导入。',
    problemsShown: '显示前 {shown} 个问题，共 {total} 个。',
    row: '行',
    column: '列',
    problem: '问题',
    step4: '导入',
    modeAll: '全部导入（有任何问题时不导入）',
    modeGood: '只导入没有问题的行（{n} 行）',
    start: '开始导入',
    another: '导入另一个文件',
    running: '正在导入 {done} / {total} 行……',
    leaveHint: '可以关闭本页：导入会继续进行，再次打开本页即可看到结果。',
    failed: '导入失败，档案没有任何变化：{message}',
    waiting: '导入单据 {number} 已提交，等待管理员审批；审批通过后客户即进入档案。',
    openDocument: '查看单据',
    done: '已导入 {n} 个客户',
    doneRange: '客户编号 {first} 至 {last}',
    created: '新建的客户',
    nothing: '没有可以导入的行',
    tooLarge: '文件太大（最大 {mb} MB）'
  },
  exports: {
    button: '导出 Excel',
    done: '已导出 {n} 个客户'
  }
}
