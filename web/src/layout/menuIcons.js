// Icons for the menu areas. rules/menu.lua names an icon per area; we accept an
// Element Plus icon name in any case style ("UserFilled", "user-filled") from the set
// below, else fall back on the area's key, else a neutral icon.
import {
  Avatar,
  Bell,
  Calendar,
  Checked,
  DataAnalysis,
  DataLine,
  Document,
  Files,
  Flag,
  Folder,
  Histogram,
  HomeFilled,
  List,
  Location,
  Menu,
  Money,
  OfficeBuilding,
  PieChart,
  Setting,
  Tickets,
  Tools,
  TrendCharts,
  User,
  UserFilled
} from '@element-plus/icons-vue'

const BY_NAME = {
  avatar: Avatar,
  bell: Bell,
  calendar: Calendar,
  checked: Checked,
  dataanalysis: DataAnalysis,
  dataline: DataLine,
  document: Document,
  files: Files,
  flag: Flag,
  folder: Folder,
  histogram: Histogram,
  homefilled: HomeFilled,
  home: HomeFilled,
  list: List,
  location: Location,
  menu: Menu,
  money: Money,
  officebuilding: OfficeBuilding,
  piechart: PieChart,
  setting: Setting,
  settings: Setting,
  tickets: Tickets,
  tools: Tools,
  trendcharts: TrendCharts,
  user: User,
  userfilled: UserFilled,
  // area keys and plain words
  customers: User,
  customer: User,
  workflows: Tickets,
  workflow: Tickets,
  documents: Tickets,
  staff: Avatar,
  targets: Flag,
  reports: DataAnalysis,
  report: DataAnalysis,
  chart: TrendCharts,
  notifications: Bell,
  notification: Bell,
  admin: Tools
}

const squash = (s) => String(s || '').toLowerCase().replace(/[^a-z]/g, '')

// menuIcon returns the icon component for a menu area {key, icon}.
export function menuIcon(area) {
  return BY_NAME[squash(area.icon)] || BY_NAME[squash(area.key)] || Menu
}

export { HomeFilled as homeIcon }
