// Conformance: the official TypeScript SDK (npm `dodopayments`, pinned in package.json)
// against a running dodo-sandbox. SANDBOX_URL must point at it; the sandbox should settle
// charges at once (--settle-delay-ms 0). Prints "N passed, N failed" last; exits 1 on failure.
import http from 'node:http';
import DodoPayments from 'dodopayments';

const base = process.env.SANDBOX_URL;
if (!base) {
  console.error('SANDBOX_URL is not set');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const key = process.env.SANDBOX_API_KEY ?? 'sandbox_sk_test';
const webhookKey = 'whsec_c2VjcmV0Cg==';
const client = new DodoPayments({ bearerToken: key, baseURL: base, maxRetries: 0, webhookKey });

let passed = 0;
let failed = 0;
async function check(name, fn) {
  try {
    await fn();
    passed += 1;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed += 1;
    console.log(`not ok - ${name}: ${e?.message ?? e}`);
  }
}
function eq(actual, expected, what) {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}
function ok(cond, what) {
  if (!cond) throw new Error(what);
}
async function control(path, body) {
  const res = await fetch(`${base}/_sandbox${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  if (!res.ok) throw new Error(`control ${path}: ${res.status}`);
  return res.json();
}
async function waitFor(what, cond) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// A webhook receiver on a free port, registered through the control API.
const deliveries = [];
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    deliveries.push({ body, headers: req.headers });
    res.writeHead(204).end();
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const receiverUrl = `http://127.0.0.1:${server.address().port}/webhooks`;

await control('/reset');
await control('/webhooks/endpoints', { url: receiverUrl, secret: webhookKey });

const alice = { customer_id: 'cus_demo_alice' };

await check('customers.retrieve', async () => {
  const c = await client.customers.retrieve('cus_demo_alice');
  eq(c.email, 'alice@example.com', 'email');
  eq(c.business_id, 'bus_demo', 'business_id');
});

// The TS SDK's auto-pagination assumes page 1 when page_number is absent (pages are
// 0-based), so it would skip page 1: start from an explicit page_number 0.
await check('customers.list paginates to an empty page', async () => {
  const ids = [];
  for await (const c of client.customers.list({ page_size: 2, page_number: 0 })) ids.push(c.customer_id);
  // The six original demo customers and Priya, Budi, Wendy, Tara, Paula, Yuki, Henry and Grace.
  eq(ids.length, 14, `customers ${ids}`);
  ok(ids.includes('cus_demo_frank') && ids.includes('cus_demo_carol'), `customers: ${ids}`);
});

await check('customers.retrievePaymentMethods', async () => {
  const { items } = await client.customers.retrievePaymentMethods('cus_demo_alice');
  eq(items[0].payment_method_id, 'pm_demo_alice_visa', 'payment_method_id');
  eq(items[0].card.last4_digits, '4242', 'last4');
});

await check('customers.customerPortal.create', async () => {
  const s = await client.customers.customerPortal.create('cus_demo_alice', { send_email: false });
  ok(s.link.startsWith(base), `link ${s.link}`);
});

await check('products.retrieve', async () => {
  const p = await client.products.retrieve('pdt_demo_course');
  eq(p.price.type, 'one_time_price', 'price.type');
  eq(p.price.price, 4900, 'price');
  eq(p.price.currency, 'USD', 'currency');
  eq(p.is_recurring, false, 'is_recurring');
});

await check('products.list with recurring filter', async () => {
  const ids = [];
  for await (const p of client.products.list({ recurring: true, page_number: 0 })) ids.push(p.product_id);
  eq(ids, ['pdt_demo_free', 'pdt_demo_starter', 'pdt_demo_basic', 'pdt_demo_pro', 'pdt_demo_pro_yearly', 'pdt_demo_team',
    'pdt_demo_basic_inr', 'pdt_demo_pro_inr', 'pdt_demo_basic_idr', 'pdt_demo_pro_idr'], 'plans');
});

await check('productCollections.list and retrieve', async () => {
  const page = await client.productCollections.list();
  eq(page.items[0].id, 'pcol_demo_plans', 'collection id');
  const c = await client.productCollections.retrieve('pcol_demo_plans');
  eq(c.proration_billing_mode_on_upgrade, 'prorated_immediately', 'upgrade default');
  eq(c.on_payment_failure, null, 'inherits the business default');
  const active = c.groups[0].products.filter((p) => p.status).map((p) => p.product_id);
  eq(active, ['pdt_demo_free', 'pdt_demo_starter', 'pdt_demo_basic', 'pdt_demo_pro'], 'active monthly plans');
});

let hostedSession;
await check('checkoutSessions.create (hosted)', async () => {
  const s = await client.checkoutSessions.create({
    product_cart: [{ product_id: 'pdt_demo_course', quantity: 1 }],
    customer: { email: 'ts@example.com', name: 'TS Buyer' },
    return_url: 'https://shop.example/thanks',
  });
  ok(s.session_id.startsWith('cks_'), 'session id');
  ok(s.checkout_url?.startsWith(base), 'checkout_url');
  eq(s.payment_id ?? null, null, 'payment_id');
  hostedSession = s.session_id;
});

await check('checkoutSessions.retrieve (open)', async () => {
  const s = await client.checkoutSessions.retrieve(hostedSession);
  eq(s.payment_id ?? null, null, 'no payment yet');
  eq(s.customer_email, 'ts@example.com', 'customer_email');
});

let oneClickPayment;
await check('checkoutSessions.create (one-click, confirm + saved card)', async () => {
  const s = await client.checkoutSessions.create({
    product_cart: [{ product_id: 'pdt_demo_addon', quantity: 1 }],
    customer: alice,
    payment_method_id: 'pm_demo_alice_visa',
    confirm: true,
    return_url: 'https://shop.example/thanks',
  });
  eq(s.checkout_url ?? null, null, 'checkout_url');
  ok(s.payment_id?.startsWith('pay_'), 'payment_id');
  oneClickPayment = s.payment_id;
  const status = await client.checkoutSessions.retrieve(s.session_id);
  eq(status.payment_status, 'succeeded', 'payment_status');
});

await check('checkoutSessions.create refuses payment_method_id without confirm', async () => {
  try {
    await client.checkoutSessions.create({
      product_cart: [{ product_id: 'pdt_demo_addon', quantity: 1 }],
      customer: alice,
      payment_method_id: 'pm_demo_alice_visa',
    });
    throw new Error('accepted');
  } catch (e) {
    eq(e.status, 422, 'status');
    eq(e.error?.code, 'INVALID_REQUEST_PARAMETERS', 'code');
  }
});

await check('payments.retrieve', async () => {
  const p = await client.payments.retrieve(oneClickPayment);
  eq(p.status, 'succeeded', 'status');
  eq(p.total_amount, 2900, 'total_amount');
  eq(p.card_last_four, '4242', 'card_last_four');
  eq(p.metadata, {}, 'metadata');
});

await check('payments.create (saved card) and payments.list', async () => {
  const created = await client.payments.create({
    billing: { country: 'US' },
    customer: alice,
    product_cart: [{ product_id: 'pdt_demo_downsell', quantity: 1 }],
    payment_method_id: 'pm_demo_alice_visa',
  });
  eq(created.total_amount, 1900, 'total_amount');
  ok(typeof created.client_secret === 'string', 'client_secret');
  const ids = [];
  for await (const p of client.payments.list({ customer_id: 'cus_demo_alice', page_number: 0 })) ids.push(p.payment_id);
  eq(ids, [created.payment_id, oneClickPayment], 'newest first');
});

await check('declined saved card fails with CARD_DECLINED', async () => {
  const created = await client.payments.create({
    billing: { country: 'US' },
    customer: { customer_id: 'cus_demo_carol' },
    product_cart: [{ product_id: 'pdt_demo_downsell', quantity: 1 }],
    payment_method_id: 'pm_demo_carol_declines',
  });
  const p = await client.payments.retrieve(created.payment_id);
  eq([p.status, p.error_code], ['failed', 'CARD_DECLINED'], 'outcome');
});

await check('subscriptions.retrieve and list', async () => {
  const s = await client.subscriptions.retrieve('sub_demo_alice_basic');
  eq([s.status, s.payment_frequency_interval, s.recurring_pre_tax_amount], ['active', 'Month', 3000], 'subscription');
  const page = await client.subscriptions.list({ customer_id: 'cus_demo_alice' });
  eq(page.items.map((i) => i.subscription_id), ['sub_demo_alice_basic'], 'list');
});

for (const [mode, total] of [
  ['prorated_immediately', 2500],
  ['prorated_immediately_keep_cycle', 2500],
  ['difference_immediately', 5000],
  ['full_immediately', 8000],
  ['do_not_bill', 0],
]) {
  await check(`subscriptions.previewChangePlan ${mode}`, async () => {
    const preview = await client.subscriptions.previewChangePlan('sub_demo_alice_basic', {
      product_id: 'pdt_demo_pro',
      quantity: 1,
      proration_billing_mode: mode,
    });
    eq(preview.immediate_charge.summary.total_amount, total, 'total_amount');
    eq(preview.new_plan.product_id, 'pdt_demo_pro', 'new_plan.product_id');
  });
}

await check('subscriptions.changePlan scheduled, then cancelChangePlan', async () => {
  await client.subscriptions.changePlan('sub_demo_alice_basic', {
    product_id: 'pdt_demo_starter',
    quantity: 1,
    proration_billing_mode: 'difference_immediately',
    effective_at: 'next_billing_date',
  });
  const s = await client.subscriptions.retrieve('sub_demo_alice_basic');
  eq(s.scheduled_change?.product_id, 'pdt_demo_starter', 'scheduled_change');
  await client.subscriptions.cancelChangePlan('sub_demo_alice_basic');
  const after = await client.subscriptions.retrieve('sub_demo_alice_basic');
  eq(after.scheduled_change ?? null, null, 'cancelled');
});

await check('subscriptions.changePlan now', async () => {
  const r = await client.subscriptions.changePlan('sub_demo_alice_basic', {
    product_id: 'pdt_demo_pro',
    quantity: 1,
    proration_billing_mode: 'prorated_immediately',
  });
  ok(r !== undefined, 'a JSON body');
  const s = await client.subscriptions.retrieve('sub_demo_alice_basic');
  eq(s.product_id, 'pdt_demo_pro', 'product_id');
});

await check('subscriptions.updatePaymentMethod', async () => {
  const r = await client.subscriptions.updatePaymentMethod('sub_demo_alice_basic', {
    payment_method: { type: 'existing', payment_method_id: 'pm_demo_alice_visa' },
  });
  eq(r.payment_id ?? null, null, 'nothing owed');
});

await check('webhooks.unwrap verifies a delivered payment.succeeded', async () => {
  await waitFor('payment.succeeded', () =>
    deliveries.some((d) => JSON.parse(d.body).type === 'payment.succeeded'),
  );
  const d = deliveries.find((x) => JSON.parse(x.body).type === 'payment.succeeded');
  const event = client.webhooks.unwrap(d.body, { headers: d.headers });
  eq(event.business_id, 'bus_demo', 'business_id');
  eq(event.data.payload_type, 'Payment', 'payload_type');
  eq(event.data.status, 'succeeded', 'status');
});

await check('webhooks.unwrap rejects a tampered body', async () => {
  const d = deliveries[0];
  try {
    client.webhooks.unwrap(d.body.replace('bus_demo', 'bus_evil'), { headers: d.headers });
    throw new Error('accepted');
  } catch (e) {
    ok(e.message !== 'accepted', 'rejected');
  }
});

await check('customers.deletePaymentMethod', async () => {
  await client.customers.deletePaymentMethod('pm_demo_erin_nofunds', { customer_id: 'cus_demo_erin' });
  const { items } = await client.customers.retrievePaymentMethods('cus_demo_erin');
  eq(items, [], 'deleted');
});

await check('unknown ids are 404 NOT_FOUND', async () => {
  try {
    await client.payments.retrieve('pay_nope');
    throw new Error('found');
  } catch (e) {
    eq([e.status, e.error?.code], [404, 'NOT_FOUND'], 'error');
  }
});

server.close();
await control('/reset');
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
