// The Element Plus components this app uses, imported from their own modules.
// Importing from 'element-plus' itself would bundle every component (its default
// installer references them all), about 570 kB more JavaScript. Add new ones here.
export { ElAlert } from 'element-plus/es/components/alert/index.mjs'
export { ElButton } from 'element-plus/es/components/button/index.mjs'
export { ElCard } from 'element-plus/es/components/card/index.mjs'
export { ElConfigProvider } from 'element-plus/es/components/config-provider/index.mjs'
export { ElDescriptions, ElDescriptionsItem } from 'element-plus/es/components/descriptions/index.mjs'
export { ElDrawer } from 'element-plus/es/components/drawer/index.mjs'
export { ElDropdown, ElDropdownItem, ElDropdownMenu } from 'element-plus/es/components/dropdown/index.mjs'
export { ElForm, ElFormItem } from 'element-plus/es/components/form/index.mjs'
export { ElIcon } from 'element-plus/es/components/icon/index.mjs'
export { ElInput } from 'element-plus/es/components/input/index.mjs'
export { ElMenu, ElMenuItem, ElSubMenu } from 'element-plus/es/components/menu/index.mjs'
export { ElMessage } from 'element-plus/es/components/message/index.mjs'
export { ElRadioButton, ElRadioGroup } from 'element-plus/es/components/radio/index.mjs'
export { ElResult } from 'element-plus/es/components/result/index.mjs'
