/**
 * The web simulator's inbound endpoint (accept + persist + enqueue) under autocannon: the webhook-ack
 * scenario. Visitors cycle through 1000 ids with a fresh client message id per request, so every post is a
 * new inbox row.
 */
import type autocannon from 'autocannon';
import { CONNECTIONS, load } from './measure.js';

let counter = 0;

function inboundRequest(): autocannon.Request {
  return {
    method: 'POST',
    path: '/simulator/api/messages',
    headers: { 'content-type': 'application/json' },
    setupRequest: (req) => {
      counter++;
      // The simulator reads the visitor from its cookie, as the page sends it.
      const visitorId = `bench-visitor-${counter % 1000}`;
      return {
        ...req,
        headers: { ...req.headers, cookie: `asa_visitor=${visitorId}` },
        body: JSON.stringify({ clientMsgId: `b${counter}`, text: '你好，我买的裙子开线了，订单号6919000011112222333' }),
      };
    },
  };
}

/** As many posts as 50 connections carry for `seconds`, or `rate` posts a second when given. */
export function postInbound(url: string, seconds: number, rate?: number): Promise<autocannon.Result> {
  return load({ url, connections: CONNECTIONS, duration: seconds, requests: [inboundRequest()], ...(rate ? { overallRate: rate } : {}) });
}

/** The bare Koa GET with the same settings. */
export function getBare(url: string, seconds: number): Promise<autocannon.Result> {
  return load({ url, connections: CONNECTIONS, duration: seconds });
}
