// Simplified Chinese text of the staff, org and target pages (人员指标). Keys mirror
// org.en.js; merged into the main messages by locales/index.js.
export default {
  documents: {
    kinds: {
      target: '指标编审'
    }
  },
  org: {
    title: '组织人员',
    departments: '部门',
    addDepartment: '新增部门',
    addChild: '新增下级部门',
    rename: '重命名',
    move: '移动',
    setHead: '设置负责人',
    head: '负责人',
    noHead: '未设置负责人',
    headLine: '负责人：{name} · {n} 人',
    staffCount: '{n} 人',
    pickDepartment: '请选择部门',
    includeSub: '含下级部门',
    deptName: '部门名称',
    parent: '上级部门',
    newParent: '移到此部门之下',
    deptSaved: '部门已保存',
    dialogTitle: '{what}：{name}',
    deptDialog: {
      add: '新增部门',
      rename: '重命名部门',
      move: '移动部门',
      head: '设置部门负责人'
    },
    nameRequired: '请输入部门名称',
    parentRequired: '请选择上级部门',
    headRequired: '请选择负责人',
    save: '保存',
    staff: {
      title: '人员',
      add: '新增人员',
      edit: '编辑',
      editTitle: '编辑人员：{name}',
      disable: '停用',
      disableConfirm: '确定停用“{name}”吗？停用后该人员立即退出登录，且不能再登录。',
      disableTitle: '停用人员',
      disabled: '已停用“{name}”',
      saved: '人员资料已保存',
      created: '已新增人员“{name}”',
      empty: '该部门暂无人员',
      defaultMax: '默认',
      photo: '照片',
      uploadPhoto: '上传照片',
      changePhoto: '更换照片',
      photoHint: 'JPEG 格式，最大 20 MB',
      uploading: '正在上传…',
      disabledHint: '已停用的人员不在列表中显示。',
      fields: {
        login: '登录名',
        name: '姓名',
        department: '部门',
        position: '职位',
        role: '角色',
        mobile: '手机',
        gender: '性别',
        maxCustomers: '最大客户数',
        password: '初始密码',
        active: '状态'
      },
      genders: {
        m: '男',
        f: '女'
      },
      active: '在职',
      inactive: '已停用',
      required: '请填写{name}',
      badLogin: '登录名只能包含字母、数字、点、下划线和连字符',
      badMobile: '手机号码格式不正确'
    },
    selectAll: '全选本页',
    clearSelection: '清除选择',
    selected: '已选 {n} 人',
    assignRole: '批量授权',
    assignTitle: '批量授权：为 {n} 人设置角色',
    assignHint: '所选人员的菜单和操作权限将按新角色生效（在他们的下一次请求时）。',
    assignSubmit: '授权',
    close: '关闭',
    assigned: '{n} 人的角色已变更',
    pickRole: '请选择角色',
    pickSomeone: '请先勾选人员'
  },
  targets: {
    title: '指标设置',
    mine: '我的指标',
    team: '团队指标',
    teamHint: '为所选部门（含下级部门）的人员一次性设置同一期间的指标，整个团队提交为一张单据。',
    mineHint: '设置您本人在一个期间的指标。',
    approval: {
      salesperson: '提交后由您的部门负责人审批。',
      manager: '提交后由销售总监审批。',
      direct: '您设置的指标提交后立即生效。'
    },
    department: '部门',
    presets: '快速选择期间',
    preset: {
      thisMonth: '本月',
      nextMonth: '下月',
      thisQuarter: '本季度',
      nextQuarter: '下季度',
      thisYear: '本年度'
    },
    label: {
      month: '{y}年{m}月',
      quarter: '{y}年第{q}季度',
      year: '{y}年度'
    },
    fields: {
      person: '人员',
      include: '纳入',
      newCustomers: '新增客户数',
      visits: '拜访次数',
      dealAmount: '成交金额（元）',
      paymentAmount: '回款金额（元）',
      period: '考核期间',
      start: '开始日期',
      end: '结束日期',
      document: '单据'
    },
    fillAll: '填充全部',
    fillHint: '在下面填写数值后点“填充全部”，将应用到所有纳入的人员（空白的项不变）。',
    badCount: '数量应为非负整数',
    badAmount: '金额应为非负数，最多两位小数',
    noPeople: '所选部门没有人员',
    nobodyIncluded: '请至少纳入一人',
    fixRows: '请先更正标红的数值',
    people: '共 {n} 人，纳入 {m} 人',
    submit: '提交指标',
    submitTeam: '提交团队指标',
    sentTo: '已提交给 {name} 审批',
    applied: '指标已生效',
    again: '继续设置',
    openDocument: '查看单据',
    existing: '已设指标',
    existingOf: '查看人员',
    existingEmpty: '暂无指标'
  },
  progress: {
    title: '指标总览',
    date: '日期',
    today: '今天',
    noTarget: '未设置指标',
    range: '{from} 至 {to}',
    monthRange: '当月实际：{from} 至 {to}',
    empty: '所选部门没有可查看的人员',
    actualOfTarget: '实际 / 指标',
    percent: '{p}%',
    allDepartments: '全部部门',
    records: '{name}的{what}（{from} 至 {to}）',
    recordsEmpty: '该期间没有记录',
    figures: {
      new_customers: '新增客户',
      visits: '拜访次数',
      deal_amount: '成交金额',
      payment_amount: '回款金额'
    },
    recordFields: {
      number: '单据编号',
      customer: '客户',
      day: '日期',
      amount: '金额（元）',
      detail: '内容'
    }
  }
}
