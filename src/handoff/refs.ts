/** The short case reference customers and agents both see (the same one the bot quotes). */
export { caseRef } from '../dialogue/answers.js';

const RISK_LABELS: Record<string, string> = {
  regulator: '扬言投诉监管',
  platform: '扬言平台投诉',
  exposure: '扬言曝光',
  legal: '涉及法律维权',
  harm: '人身安全',
  child: '儿童安全',
};

/** `regulator:12315` → 「扬言投诉监管：12315」. */
const riskLabel = (r: string): string => {
  const [kind, words] = r.split(/:(.*)/s);
  return RISK_LABELS[kind ?? ''] ? `${RISK_LABELS[kind ?? '']}${words ? `：${words}` : ''}` : r;
};

const SLOT_LABELS: Record<string, string> = { category: '问题类型', orderId: '订单号', description: '问题描述', evidence: '照片', resolution: '处理方式', confirm: '确认', edit: '修改' };

/**
 * Escalation reasons are written in English for logs and tests ('customer asked for a person', 'risky message
 * (regulator:12315)'); agents and managers read them in Chinese.
 */
export function reasonLabel(reason: string): string {
  if (reason === 'customer asked for a person') return '顾客要求转人工';
  if (reason === 'group complaint') return '客户群内投诉';
  if (reason === 'bot_error') return '机器人处理出错';
  const risky = /^risky message \((.*)\)$/.exec(reason);
  if (risky) return `高风险消息（${(risky[1] ?? '').split(', ').map(riskLabel).join('、')}）`;
  const attempts = /^no valid answer for (\w+) after (\d+) attempts$/.exec(reason);
  if (attempts) return `${SLOT_LABELS[attempts[1] as string] ?? attempts[1]}连续${attempts[2]}次未能识别`;
  if (/^reopened/.test(reason)) return reason.replace(/^reopened/, '顾客不满意，重新打开');
  return reason;
}
