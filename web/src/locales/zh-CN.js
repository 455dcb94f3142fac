// Simplified Chinese UI text (the first language). Keys mirror en.js.
export default {
  app: {
    name: '协同客户管理',
    shortName: '客户管理'
  },
  lang: {
    label: '语言',
    'zh-CN': '中文',
    en: 'English'
  },
  common: {
    backHome: '返回首页',
    loading: '加载中…',
    cancel: '取消',
    refresh: '刷新',
    yes: '是',
    no: '否',
    picture: '图片',
    openFile: '打开文件'
  },
  login: {
    title: '登录',
    subtitle: '销售团队的客户协同平台',
    user: '账号',
    userPlaceholder: '请输入账号',
    pass: '密码',
    passPlaceholder: '请输入密码',
    userRequired: '请输入账号',
    passRequired: '请输入密码',
    submit: '登录',
    submitting: '正在登录…',
    sessionEnded: '会话已结束，请重新登录',
    loggedOut: '您已退出登录'
  },
  header: {
    openMenu: '打开菜单',
    userMenu: '用户菜单',
    account: '账号设置',
    password: '修改密码',
    logout: '退出登录',
    notifications: '消息（{n} 条未读）',
    myDocuments: '我的单据'
  },
  menu: {
    title: '导航菜单',
    home: '首页',
    empty: '暂无可用菜单',
    loadFailed: '菜单加载失败'
  },
  roles: {
    salesperson: '业务人员',
    manager: '销售经理',
    director: '销售总监',
    admin: '系统管理员'
  },
  home: {
    welcome: '{name}，您好',
    intro: '欢迎使用协同客户管理。',
    login: '账号',
    role: '角色',
    department: '部门',
    noDepartment: '未分配部门',
    areas: '我的功能'
  },
  placeholder: {
    title: '此功能即将推出',
    body: '“{name}”将在后续版本中提供。',
    area: '所属模块：{area}'
  },
  notFound: {
    title: '页面不存在',
    body: '您访问的地址 {path} 不存在，或您没有访问权限。'
  },
  account: {
    title: '账号设置',
    passwordTitle: '修改密码',
    oldPassword: '当前密码',
    newPassword: '新密码',
    confirmPassword: '确认新密码',
    oldRequired: '请输入当前密码',
    newRequired: '请输入新密码',
    confirmRequired: '请再次输入新密码',
    mismatch: '两次输入的新密码不一致',
    sameAsOld: '新密码不能与当前密码相同',
    changePassword: '修改密码',
    passwordChanged: '密码已修改，其他设备上的登录已失效',
    languageTitle: '界面语言',
    languageHint: '登录后，语言设置会保存在您的账号中。',
    languageSaved: '语言设置已保存'
  },
  list: {
    search: '搜索',
    sort: '排序',
    empty: '暂无数据',
    actions: '操作',
    totalMore: '超过 {n} 条（请搜索或筛选）'
  },
  form: {
    required: '{name}为必填项',
    tooLong: '{name}不能超过 {max} 个字',
    badPhone: '{name}格式不正确（5 到 20 位数字）',
    outOfRange: '{name}应在 {min} 到 {max} 之间',
    choose: '请选择',
    submit: '提交',
    pickStaff: '选择同事',
    searchCustomer: '输入名称、编号、联系人或电话搜索'
  },
  customers: {
    views: {
      mine: '我的客户',
      shared_by_me: '我共享的客户',
      shared_with_me: '共享给我的客户',
      pool: '客户公海',
      admin: '客户管理'
    },
    fields: {
      number: '客户编号',
      name: '客户名称',
      type: '客户类型',
      status: '客户状态',
      region: '区域',
      stage: '销售阶段',
      visitCount: '拜访次数',
      lastVisit: '最近拜访',
      owner: '负责人',
      sharedWith: '共享给',
      location: '位置',
      createdAt: '建档时间',
      ownedSince: '负责起始',
      dealTotal: '成交总额',
      paidTotal: '回款总额',
      remaining: '未回款'
    },
    allTypes: '全部类型',
    typeFilter: '按客户类型筛选',
    searchPlaceholder: '名称、编号、联系人、电话',
    empty: '没有符合条件的客户',
    inPool: '公海客户',
    sharedOut: '已共享',
    sharedIn: '共享给我',
    laterRelease: '客户拜访将在后续版本中提供',
    actions: {
      new: '新增客户',
      transferMany: '客户转交',
      visit: '客户拜访',
      change: '信息变更',
      share: '调整共享',
      transfer: '转交',
      claim: '申领'
    },
    claimTitle: '申领客户',
    claimHint: '确认以下客户资料后申领，申领后该客户将成为您的客户。',
    claimConfirm: '确认申领',
    claimed: '已申领“{name}”，已加入我的客户',
    notClaimable: '该客户当前不在公海中，无法申领。',
    detailTitle: '客户详情',
    notFound: '客户不存在，或您没有查看权限',
    backToList: '返回我的客户',
    ownerLine: '负责人：{name}（自 {since} 起）',
    poolLine: '该客户在公海中，无人负责，可以申领。',
    archive: '客户资料',
    history: '客户动态',
    timeline: {
      document: '{who}办理了{kind}',
      transferTo: '转交给 {name}',
      change: '{who}修改了{field}',
      system: '系统',
      pool: {
        claimed: '{who}从公海申领',
        returned: '退回公海',
        warned: '退回公海提醒',
        other: '公海事件：{event}'
      },
      empty: '暂无动态'
    }
  },
  pool: {
    reasons: {
      no_visit: '{days} 天未拜访',
      no_deal: '{days} 天未成交'
    }
  },
  workflows: {
    created: '客户已建档，编号 {number}',
    newHint: '带 * 的为必填项。客户名称会与已有客户比对（忽略空格、全角半角和大小写），重复的名称无法提交。',
    createSubmit: '提交建档',
    claimExisting: '申领该客户',
    openExisting: '查看客户 {number}',
    customer: '客户',
    pickCustomerFirst: '请先选择要变更的客户。',
    changeHint: '修改需要变更的内容并填写变更原因，只有改动过的字段会提交。',
    changeSubmit: '提交变更',
    applied: '变更已生效',
    sentForApproval: '已提交，等待 {name} 审批',
    backToCustomer: '返回客户',
    openDocument: '查看单据',
    shareTitle: '调整共享范围',
    transferHint: '选择要转交的客户（或全部客户）和接收人，转交后立即生效。',
    transferSubmit: '提交转交',
    transferred: '已将 {count} 个客户转交给 {name}',
    backToMine: '返回我的客户',
    transferAgain: '继续转交'
  },
  documents: {
    title: '单据详情',
    mine: '我的单据',
    empty: '暂无单据',
    notFound: '单据不存在，或您没有查看权限',
    allStatuses: '全部状态',
    content: '单据内容',
    decide: '审批',
    trailTitle: '审批记录',
    kinds: {
      customer_new: '新增客户',
      customer_claim: '客户申领',
      transfer: '客户转交',
      customer_change: '信息变更'
    },
    status: {
      draft: '草稿',
      submitted: '审批中',
      approved: '已通过',
      rejected: '已驳回',
      returned: '已退回',
      withdrawn: '已撤回'
    },
    stepStatus: {
      waiting: '等待中',
      pending: '待审批',
      approved: '同意',
      rejected: '驳回',
      returned: '退回',
      cancelled: '已取消'
    },
    fields: {
      number: '单据编号',
      kind: '单据类型',
      status: '状态',
      applicant: '申请人',
      createdAt: '提交时间',
      customer: '客户'
    },
    trail: {
      submitted: '{name} 提交',
      step: '第 {n} 步：{name}',
      appliedAtOnce: '无需审批，已直接生效',
      withdrawn: '申请人已撤回',
      comment: '意见：{text}'
    },
    actions: {
      approve: '同意',
      reject: '驳回',
      return: '退回修改',
      withdraw: '撤回'
    },
    decided: {
      approve: '已同意',
      reject: '已驳回',
      return: '已退回'
    },
    commentPlaceholder: '审批意见（驳回或退回时必填）',
    commentRequired: '驳回或退回时请填写意见',
    withdrawn: '单据已撤回'
  },
  todos: {
    title: '待办审批',
    empty: '没有待您审批的单据',
    open: '审批'
  },
  notifications: {
    title: '我的消息',
    kind: '类别',
    message: '内容',
    time: '时间',
    all: '全部',
    markAll: '全部标为已读',
    empty: '暂无消息',
    kinds: {
      todo: '待办',
      reminder: '提醒',
      result: '结果'
    },
    text: {
      todo: '待您审批：{kind} {number}（{customer}）',
      todoDone: '（已处理：{status}）',
      result: '您的{kind} {number}（{customer}）{status}',
      comment: '，意见：{text}',
      warning: '客户“{customer}”将于 {date} 退回公海：{reason}',
      returned: '客户“{customer}”已退回公海：{reason}'
    }
  },
  errors: {
    network: '无法连接服务器，请检查网络后重试',
    server: '服务器暂时无法处理请求（{status}），请稍后重试',
    unknown: '操作失败，请稍后重试'
  }
}
