/**
 * The demo city: departments, their approval items, enforcement case types with
 * discretionary ranges (裁量基准), and the petitions and supervised tasks they handle.
 * Pure data; the figures are plausible, not legal references.
 */
import type { DayType } from './shanghai.ts'

/** Lang is a language a department name is available in. */
export type Lang = 'zh-CN' | 'en'

/** ApprovalItem is one administrative licensing item (审批事项) as the accepted event carries it. */
export interface ApprovalItem {
  itemCode: string
  itemName: string
  /** The promised time limit (承诺时限), in days of `dayType`. */
  promisedDays: number
  /** The statutory time limit (法定时限), never shorter than the promised one. */
  legalDays: number
  dayType: DayType
  /** Fee in yuan charged on approval (收费标准); most items are free. */
  feeStandard: number
}

/** EnforcementType is a kind of enforcement case with its discretionary penalty range in yuan. */
export interface EnforcementType {
  name: string
  min: number
  max: number
  /** Calendar days from filing to decision (行政处罚法 art. 60: 90; 治安案件: 30). */
  limitDays: number
}

/** Department is one department of the city government and the work it handles. */
export interface Department {
  code: string
  name: Record<Lang, string>
  /** Relative share of the city's approval applications. */
  weight: number
  approvals: readonly ApprovalItem[]
  enforcement: readonly EnforcementType[]
  /** Petition subjects it handles (信访事项); empty when petitions are not routed to it. */
  petitionSubjects: readonly string[]
  /** Supervised tasks (督办事项) it may be assigned; empty when it gets none. */
  supervisionTasks: readonly string[]
}

const item = (itemCode: string, itemName: string, promisedDays: number, legalDays: number, feeStandard = 0, dayType: DayType = 'working'): ApprovalItem =>
  ({ itemCode, itemName, promisedDays, legalDays, dayType, feeStandard })

const penalty = (name: string, min: number, max: number, limitDays = 90): EnforcementType => ({ name, min, max, limitDays })

/** DEPARTMENTS is the demo city's departments, in display order. */
export const DEPARTMENTS: readonly Department[] = [
  {
    code: 'market', name: { 'zh-CN': '市场监管局', en: 'Market Regulation Bureau' }, weight: 5,
    approvals: [
      item('MKT-001', '企业设立登记', 1, 15),
      item('MKT-002', '食品经营许可', 5, 20),
      item('MKT-003', '特种设备使用登记', 5, 15),
      item('MKT-004', '药品零售企业经营许可', 15, 30),
    ],
    enforcement: [
      penalty('销售不符合食品安全标准的食品', 50_000, 100_000),
      penalty('无照经营', 1_000, 10_000),
      penalty('不按规定明码标价', 500, 5_000),
    ],
    petitionSubjects: ['消费纠纷', '食品安全投诉'],
    supervisionTasks: ['校园周边食品安全专项整治', '电动自行车质量安全专项检查'],
  },
  {
    code: 'housing', name: { 'zh-CN': '住建局', en: 'Housing and Urban-Rural Development Bureau' }, weight: 3,
    approvals: [
      item('HSG-001', '建筑工程施工许可证核发', 5, 15),
      item('HSG-002', '商品房预售许可', 7, 10),
      item('HSG-003', '建筑业企业资质核准', 15, 20),
      item('HSG-004', '城市建筑垃圾处置核准', 10, 20),
    ],
    enforcement: [
      penalty('未取得施工许可擅自施工', 20_000, 100_000),
      penalty('随意倾倒建筑垃圾', 5_000, 50_000),
    ],
    petitionSubjects: ['物业纠纷', '房屋质量问题', '拖欠农民工工资'],
    supervisionTasks: ['老旧小区改造年度任务', '城镇燃气安全专项整治'],
  },
  {
    code: 'tax', name: { 'zh-CN': '税务局', en: 'Tax Bureau' }, weight: 3,
    approvals: [
      item('TAX-001', '增值税专用发票最高开票限额审批', 5, 20),
      item('TAX-002', '对纳税人延期缴纳税款的核准', 15, 20),
      item('TAX-003', '对纳税人变更纳税定额的核准', 10, 20),
    ],
    enforcement: [
      penalty('未按期办理纳税申报', 200, 2_000),
      penalty('偷税', 10_000, 500_000),
    ],
    petitionSubjects: [],
    supervisionTasks: ['减税降费政策落实情况督查'],
  },
  {
    code: 'health', name: { 'zh-CN': '卫健委', en: 'Health Commission' }, weight: 2,
    approvals: [
      item('HLT-001', '医疗机构执业登记', 20, 45, 0, 'calendar'),
      item('HLT-002', '医师执业注册', 5, 20),
      item('HLT-003', '公共场所卫生许可', 10, 20),
      item('HLT-004', '放射诊疗许可', 15, 20),
    ],
    enforcement: [
      penalty('非医师行医', 20_000, 100_000),
      penalty('公共场所卫生不合格', 500, 5_000),
    ],
    petitionSubjects: ['医疗纠纷', '医保报销'],
    supervisionTasks: ['基层医疗卫生机构能力提升'],
  },
  {
    code: 'transport', name: { 'zh-CN': '交通运输局', en: 'Transport Bureau' }, weight: 2,
    approvals: [
      item('TRN-001', '道路运输经营许可', 10, 20),
      item('TRN-002', '出租汽车经营许可', 10, 20),
      item('TRN-003', '公路超限运输许可', 2, 5),
      item('TRN-004', '涉路施工许可', 10, 20),
    ],
    enforcement: [
      penalty('未取得道路运输经营许可擅自经营', 10_000, 30_000),
      penalty('车辆超限运输', 500, 30_000),
    ],
    petitionSubjects: ['出租车服务投诉'],
    supervisionTasks: ['农村公路“四好”建设', '公交线网优化'],
  },
  {
    code: 'environment', name: { 'zh-CN': '生态环境局', en: 'Ecology and Environment Bureau' }, weight: 1,
    approvals: [
      item('ENV-001', '建设项目环境影响报告书审批', 30, 60),
      item('ENV-002', '建设项目环境影响报告表审批', 15, 30),
      item('ENV-003', '排污许可证核发', 20, 30),
      item('ENV-004', '危险废物经营许可证核发', 15, 20),
    ],
    enforcement: [
      penalty('超标排放污染物', 100_000, 1_000_000),
      penalty('建设项目未批先建', 50_000, 500_000),
    ],
    petitionSubjects: ['噪声扰民', '企业排污投诉'],
    supervisionTasks: ['中央环保督察反馈问题整改', '黑臭水体治理'],
  },
  {
    code: 'letters', name: { 'zh-CN': '信访局', en: 'Letters and Visits Bureau' }, weight: 0,
    approvals: [],
    enforcement: [],
    petitionSubjects: ['征地拆迁补偿', '劳动争议', '邻里纠纷', '涉法涉诉', '干部作风问题'],
    supervisionTasks: ['信访积案化解'],
  },
  {
    code: 'education', name: { 'zh-CN': '教育局', en: 'Education Bureau' }, weight: 1,
    approvals: [
      item('EDU-001', '民办学校办学许可', 30, 90, 0, 'calendar'),
      item('EDU-002', '教师资格认定', 15, 30),
      item('EDU-003', '校外培训机构设立审批', 20, 30),
    ],
    enforcement: [penalty('违规开展学科类校外培训', 10_000, 50_000)],
    petitionSubjects: ['学位分配', '校园安全'],
    supervisionTasks: ['新建中小学校学位建设', '“双减”政策落实'],
  },
  {
    code: 'civil', name: { 'zh-CN': '民政局', en: 'Civil Affairs Bureau' }, weight: 2,
    approvals: [
      item('CIV-001', '社会团体成立登记', 20, 60),
      item('CIV-002', '民办非企业单位成立登记', 20, 60),
      item('CIV-003', '婚姻登记', 1, 1),
    ],
    enforcement: [penalty('违规建设殡葬设施', 1_000, 5_000)],
    petitionSubjects: ['低保待遇', '养老服务'],
    supervisionTasks: ['社区养老服务设施建设'],
  },
  {
    code: 'hrss', name: { 'zh-CN': '人社局', en: 'Human Resources and Social Security Bureau' }, weight: 2,
    approvals: [
      item('HRS-001', '人力资源服务许可', 10, 20),
      item('HRS-002', '劳务派遣经营许可', 10, 20),
      item('HRS-003', '特殊工时制度审批', 10, 20),
    ],
    enforcement: [penalty('违法延长劳动者工作时间', 2_000, 20_000)],
    petitionSubjects: ['拖欠工资', '社保待遇', '工伤认定'],
    supervisionTasks: ['根治欠薪冬季专项行动', '高校毕业生就业促进'],
  },
  {
    code: 'natres', name: { 'zh-CN': '自然资源局', en: 'Natural Resources Bureau' }, weight: 3,
    approvals: [
      item('NAT-001', '建设用地规划许可证核发', 10, 20),
      item('NAT-002', '建设项目用地预审与选址意见书', 15, 20),
      item('NAT-003', '不动产登记（住宅）', 3, 30, 80),
      item('NAT-004', '不动产登记（非住宅）', 5, 30, 550),
    ],
    enforcement: [
      penalty('非法占用土地', 10_000, 300_000),
      penalty('无证采矿', 50_000, 500_000),
    ],
    petitionSubjects: ['征地补偿', '不动产登记遗留问题'],
    supervisionTasks: ['耕地保护专项整治', '批而未供土地处置'],
  },
  {
    code: 'publicsec', name: { 'zh-CN': '公安局', en: 'Public Security Bureau' }, weight: 4,
    approvals: [
      item('PSB-001', '户口迁移审批', 5, 20),
      item('PSB-002', '居民身份证换领', 15, 60, 20, 'calendar'),
      item('PSB-003', '普通护照签发', 7, 15, 120),
      item('PSB-004', '机动车驾驶证换证', 1, 10, 10),
    ],
    enforcement: [
      penalty('殴打他人', 200, 500, 30),
      penalty('违规饲养烈性犬', 200, 1_000, 30),
    ],
    petitionSubjects: ['治安问题', '户籍办理'],
    supervisionTasks: ['电信网络诈骗防范宣传'],
  },
  {
    code: 'emergency', name: { 'zh-CN': '应急管理局', en: 'Emergency Management Bureau' }, weight: 1,
    approvals: [
      item('EMG-001', '危险化学品经营许可', 15, 30),
      item('EMG-002', '烟花爆竹零售经营许可', 10, 20),
    ],
    enforcement: [penalty('未落实安全生产主体责任', 30_000, 100_000)],
    petitionSubjects: [],
    supervisionTasks: ['安全生产治本攻坚三年行动', '汛期防汛物资储备'],
  },
]

const byCode = new Map(DEPARTMENTS.map((d) => [d.code, d]))

/** department returns the department with this code, or undefined. */
export function department(code: string): Department | undefined {
  return byCode.get(code)
}

/** deptName returns a department's display name, or the code itself for an unknown department. */
export function deptName(code: string, lang: Lang = 'zh-CN'): string {
  return byCode.get(code)?.name[lang] ?? code
}
