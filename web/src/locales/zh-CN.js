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
    loading: '加载中…'
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
    logout: '退出登录'
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
  errors: {
    network: '无法连接服务器，请检查网络后重试',
    server: '服务器暂时无法处理请求（{status}），请稍后重试',
    unknown: '操作失败，请稍后重试'
  }
}
