/** The performance figures (绩效评测, common/contract/kpi.md): to come. Other components will import from here, and only from here. */
export {}
