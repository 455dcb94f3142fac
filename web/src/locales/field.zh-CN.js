// 外勤（issue 4）的界面文字：扫码、拜访、成交、回款、日报、客户页的外勤记录、二维码、位置。
// Merged into zh-CN by locales/index.js (deeply: documents.kinds gains the new kinds).
export default {
  documents: {
    kinds: {
      visit: '客户拜访',
      deal: '客户成交',
      payment: '客户回款',
      daily_report: '销售日报'
    }
  },
  field: {
    saved: '已保存',
    pickDay: '选择日期',
    pickTime: '选择时间',
    badDay: '{name}应为有效日期（年-月-日）',
    money: {
      invalid: '{name}应为大于 0 的金额，最多两位小数',
      dealTotal: '成交总额',
      paid: '已回款',
      remaining: '待回款'
    },
    file: {
      pick: '选择照片',
      pickContract: '上传合同（PDF 或 JPEG）',
      uploading: '正在上传…',
      attached: '已上传的文件',
      remove: '移除',
      tooLarge: '文件太大（最大 {mb} MB）',
      pdfOrJpeg: '合同只能是 PDF 或 JPEG 文件',
      jpegOnly: '只能上传 JPEG 照片'
    },
    photo: {
      take: '拍摄现场照片',
      retake: '重拍',
      uploading: '正在上传照片…',
      takenAt: '拍摄时间：{time}',
      noExifTime: '照片中没有拍摄时间',
      hasGps: '照片带有拍摄位置',
      onPhone: '照片已保存在手机上，联网后随拜访一起上传',
      notJpeg: '请用相机拍摄 JPEG 照片（这个文件不是 JPEG）'
    },
    position: {
      asking: '正在获取手机位置…',
      at: '手机位置：{coords}（误差约 {m} 米）',
      retry: '重新定位',
      none: {
        denied: '没有定位权限：拜访仍可保存，但会记为“未核实”。可在浏览器设置中允许定位。',
        insecure: '当前网址不是 HTTPS，浏览器不提供位置：拜访仍可保存，但会记为“未核实”。',
        unavailable: '暂时无法获取位置：拜访仍可保存，但会记为“未核实”。',
        timeout: '获取位置超时：拜访仍可保存，但会记为“未核实”。',
        unsupported: '此浏览器不支持定位：拜访仍可保存，但会记为“未核实”。'
      }
    },
    outbox: {
      header: '{n} 条拜访保存在手机上，等待联网提交',
      headerFailed: '{n} 条拜访等待提交，{failed} 条无法提交',
      pending: '手机上待提交的拜访：{n} 条',
      sendNow: '立即提交',
      savedOnPhone: '已保存在手机上，联网后自动提交',
      sentNow: '手机上保存的 {n} 条拜访已提交',
      refused: '拜访（{name}，{time} 保存）无法提交：',
      dismiss: '知道了',
      cannotStore: '没有网络，而且这台手机无法保存拜访（浏览器禁止了本地存储）。请联网后再提交。'
    },
    verdict: {
      verified: '现场核实',
      notVerified: '未核实',
      allChecks: '扫码、位置和照片时间都符合要求。',
      distance: '距客户约 {m} 米'
    },
    brief: {
      address: '地址',
      region: '区域',
      contact: '联系人',
      visits: '拜访',
      visitsValue: '{n} 次，最近 {last}',
      lastVisits: '最近拜访',
      lastVisitsOf: '{name} 的拜访记录'
    },
    visits: {
      when: '拜访时间',
      verdict: '核实',
      visitor: '拜访人',
      met: '拜访对象',
      stage: '销售阶段',
      notes: '拜访记录',
      photo: '照片',
      empty: '还没有拜访记录'
    },
    visit: {
      hint: '到客户现场后扫描客户二维码开始拜访，拍一张现场照片；时间和位置会自动记录。',
      fromScan: '已扫描客户二维码',
      otherCustomer: '不是这个客户？',
      photo: '现场照片',
      submit: '保存拜访',
      another: '再记一次拜访'
    },
    deal: {
      hint: '记录成交金额和日期，可附上合同（PDF 或 JPEG）。超过审批金额的成交需经理审批后生效。',
      submit: '提交成交',
      recorded: '成交已记录：{amount}',
      another: '再记一笔成交'
    },
    payment: {
      hint: '记录收到的回款，客户的已回款和待回款会随之更新。',
      submit: '提交回款',
      recorded: '回款已记录：{amount}',
      another: '再记一笔回款'
    },
    daily: {
      hint: '当天的新增客户、拜访、成交和回款会自动汇总；请填写今日总结和明日计划。每人每天一份。',
      day: '日期',
      newCustomers: '新增客户',
      claims: '申领客户',
      visits: '拜访',
      deals: '成交',
      payments: '回款',
      noRecords: '这一天没有记录',
      filed: '这一天的日报已提交',
      filedAt: '提交于 {time}',
      summary: '今日总结',
      plan: '明日计划',
      submit: '提交日报'
    },
    deals: {
      date: '成交日期',
      amount: '金额',
      contract: '合同',
      notes: '备注',
      open: '查看合同',
      empty: '还没有成交记录'
    },
    payments: {
      date: '回款日期',
      amount: '金额',
      notes: '备注',
      empty: '还没有回款记录'
    },
    tabs: {
      visits: '拜访（{n}）',
      deals: '成交（{n}）',
      payments: '回款（{n}）'
    },
    panel: {
      title: '外勤记录',
      visit: '拜访',
      deal: '成交',
      payment: '回款'
    },
    qr: {
      title: '客户二维码',
      alt: '{name} 的二维码',
      hint: '打印后贴在客户前台。到访时扫码开始拜访，记为现场拜访的依据之一。',
      print: '打印二维码',
      png: '下载 PNG',
      revoke: '作废已打印的二维码',
      revokeConfirm: '作废后旧二维码无法再扫码，需要重新打印。确定？',
      revokeYes: '作废',
      revoked: '旧二维码已作废，请打印新的二维码'
    },
    location: {
      title: '客户位置',
      none: '尚未登记位置',
      noTiles: '未配置地图服务，显示坐标。',
      tapMap: '也可以点击地图选择位置。',
      useMine: '使用我的位置',
      proposed: '新位置：{coords}',
      accuracy: '（误差约 {m} 米）',
      save: '保存位置',
      submit: '提交位置变更',
      cancel: '取消',
      approvalNote: '业务人员修改客户位置需经理审批，审批通过后生效。',
      saved: '客户位置已更新',
      reasonPhone: '在客户现场用手机定位更新客户位置',
      reasonMap: '在地图上选择客户位置'
    },
    scan: {
      title: '扫码拜访',
      checking: '正在核对二维码…',
      refused: '无法使用这个二维码',
      offline: '没有网络，无法核对二维码',
      noToken: '链接中没有二维码信息。',
      retry: '重试',
      pickInstead: '选择客户记录拜访',
      home: '返回首页'
    },
    sheet: {
      title: '打印客户二维码',
      print: '打印',
      add: '添加客户',
      perPage: '每页 {n} 个',
      hint: '每个二维码下方印有客户名称和编号。打印时只输出二维码。',
      missing: '客户 #{id} 无法显示：{message}'
    }
  }
}
