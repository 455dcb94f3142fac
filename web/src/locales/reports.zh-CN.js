// Simplified Chinese text of the portal and report pages (issue 6). Keys mirror
// reports.en.js; merged into the main messages by locales/index.js.
export default {
  home: {
    todos: '待办审批',
    todosWaiting: '{n} 项待我审批',
    todosNone: '暂无待办'
  },
  reports: {
    portal: '业务门户',
    portalEmpty: '您的角色暂未配置门户图表',
    allReports: '全部报表',
    catalogue: '客户报表',
    open: '查看明细',
    noRows: '没有符合条件的记录',
    export: '导出 Excel',
    edit: '编辑',
    copy: '复制为新报表',
    new: '新建报表',
    noCustom: '还没有自定义报表',
    all: '全部',
    sums: '合计：',
    notSet: '（未设置）',
    groups: {
      mine: '我的报表',
      query: '查询报表',
      stat: '统计报表',
      custom: '自定义报表'
    },
    charts: {
      table: '列表',
      line: '折线图',
      bar: '柱状图',
      pie: '饼图'
    },
    filters: {
      from: '开始日期',
      to: '结束日期',
      region: '区域',
      type: '客户类型',
      department: '部门',
      staff: '人员',
      status: '客户状态',
      stage: '销售阶段',
      source: '客户来源',
      customer: '客户',
      q: '关键字'
    },
    builder: {
      titleNew: '新建报表',
      titleEdit: '编辑报表：{name}',
      copyFrom: '复制自',
      copyPlaceholder: '选择一个已有报表作为起点（可选）',
      name: '报表代码',
      nameHint: '可不填（自动生成）；填写时以 c_ 开头，仅小写字母、数字和下划线，例如 c_deals_east',
      titleZh: '中文名称',
      titleEn: '英文名称',
      kind: '报表类型',
      kinds: { query: '查询报表（明细列表）', stat: '统计报表（分组汇总）' },
      source: '数据来源',
      columns: '显示列',
      filters: '筛选条件',
      group: '分组字段',
      measures: '统计指标',
      addMeasure: '添加指标',
      pivot: '按月透视',
      pivotKept: '1 月至 12 月各一列（沿用所复制的报表，需要开始日期和结束日期两个筛选条件）',
      measureField: '字段',
      measureFn: '计算',
      allRows: '（全部记录）',
      fns: { count: '计数', sum: '合计', max: '最大值', min: '最小值', share: '占比' },
      chart: '图表类型',
      orient: '图表方向',
      orients: { rows: '每行一个分类', columns: '各列为横轴（如按月）' },
      preview: '保存并查看',
      save: '保存',
      saved: '报表已保存',
      readOnly: '您可以查看但不能修改这张报表；可以“复制为新报表”后修改。',
      invalid: '报表定义有误，请按提示修改',
      pickSource: '请先选择数据来源',
      required: '请填写{name}',
      badName: '报表代码格式不正确',
      noColumns: '请至少选择一列',
      noMeasures: '统计报表至少需要一个统计指标'
    }
  }
}
