import { describe, expect, it } from 'vitest'
import { ApiError } from './api.ts'
import { errorText, loginErrorText, problemText } from './errorText.ts'

describe('error text', () => {
  it('tells the sign-in refusals apart', () => {
    expect(loginErrorText('zh-CN', new ApiError(401, 'wrong username or password'))).toBe('用户名或密码错误')
    expect(loginErrorText('zh-CN', new ApiError(429, 'too many', undefined, undefined, undefined, 840))).toBe('登录尝试过多，请 840 秒后再试')
    expect(loginErrorText('zh-CN', new ApiError(400, 'the body must be {"username": "…", "password": "…"}'))).toContain('the body must be')
    expect(loginErrorText('en', new ApiError(401, 'x'))).toBe('Wrong username or password')
  })

  it('names the file of a refused upload', () => {
    expect(errorText('zh-CN', new ApiError(415, 'bad type', 'attachments', 'setup.exe'))).toBe('文件“setup.exe”不是 PDF、PNG 或 JPEG 格式')
    expect(errorText('zh-CN', new ApiError(413, 'too big', 'attachments', 'scan.png'))).toBe('文件“scan.png”超过 10 MB')
    expect(errorText('en', new ApiError(413, 'the upload is larger than 52494336 bytes', 'attachments'))).toContain('too large')
  })

  it('explains a refusal of the state machine with the server reason', () => {
    expect(errorText('zh-CN', new ApiError(409, 'cannot approve a returned thread', undefined, undefined, 'wrong_state'))).toBe(
      '当前状态下不能执行此操作，请刷新后重试（cannot approve a returned thread）',
    )
  })

  it('tells a taken username from a refused state change', () => {
    expect(errorText('zh-CN', new ApiError(409, 'username "wang" is taken', 'username'))).toBe('该用户名已被使用')
    expect(errorText('en', new ApiError(409, 'username "wang" is taken', 'username'))).toBe('That username is taken')
    expect(errorText('zh-CN', new ApiError(409, 'code "water" is registered already', 'code'))).toBe('该部门代码已登记')
    expect(errorText('en', new ApiError(409, 'code "water" is registered already', 'code'))).toBe('That department code is registered already')
  })

  it('names the field of a bad request', () => {
    expect(errorText('en', new ApiError(400, 'a comment is required', 'comment'))).toBe('comment: a comment is required')
    expect(errorText('en', new ApiError(0, 'Failed to fetch'))).toMatch(/Cannot reach the server/)
    expect(errorText('en', new ApiError(500, 'internal error'))).toBe('Failed: internal error')
  })

  it('describes what to fix before sending', () => {
    expect(problemText('zh-CN', { code: 'text_short', min: 10 })).toBe('整改情况至少 10 个字')
    expect(problemText('zh-CN', { code: 'too_many', max: 5 })).toBe('最多上传 5 个附件')
    expect(problemText('en', { code: 'empty', file: 'a.png' })).toBe('File “a.png” is empty')
  })
})
