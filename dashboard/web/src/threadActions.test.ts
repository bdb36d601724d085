import { describe, expect, it } from 'vitest'
import { permissions } from '../../../accounts/index.ts'
import { availableActions } from './threadActions.ts'

const dept = permissions({ role: 'department', dept: 'market', canUnmask: false, disabled: false })
const inspector = permissions({ role: 'inspector', dept: null, canUnmask: false, disabled: false })
const leader = permissions({ role: 'leader', dept: null, canUnmask: false, disabled: false })

describe('thread actions', () => {
  it('lets a department acknowledge, then rectify, and rectify again after a return', () => {
    expect(availableActions(dept, 'raised')).toEqual(['acknowledge'])
    expect(availableActions(dept, 'notified')).toEqual(['acknowledge'])
    expect(availableActions(dept, 'acknowledged')).toEqual(['rectify'])
    expect(availableActions(dept, 'returned')).toEqual(['rectify'])
    expect(availableActions(dept, 'rectification_submitted')).toEqual([])
  })

  it('lets an inspector review a submitted rectification only', () => {
    expect(availableActions(inspector, 'rectification_submitted')).toEqual(['review'])
    expect(availableActions(inspector, 'raised')).toEqual([])
  })

  it('offers a leader nothing, in any state', () => {
    for (const s of ['raised', 'acknowledged', 'rectification_submitted', 'returned'] as const) expect(availableActions(leader, s)).toEqual([])
  })

  it('offers nothing on a closed thread', () => {
    expect(availableActions([...dept, ...inspector], 'approved')).toEqual([])
    expect(availableActions([...dept, ...inspector], 'withdrawn')).toEqual([])
  })
})
