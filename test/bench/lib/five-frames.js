"use strict";
// The traceback the diagnose benches time: a throw five application frames deep, caught into
// `error`. Source text, so that each bench writes it into a real file whose lines can be annotated.
const FIVE_FRAME_THROW = `function level5(order, limit) { const count = order.lines.length; if (count > limit) throw new RangeError("too many lines: " + count); }
function level4(order, limit) { return level5(order, limit - order.discount); }
function level3(order) { const limit = order.max; return level4(order, limit); }
function level2(orders, index) { const order = orders[index]; return level3(order); }
function level1(orders) { for (let index = 0; index < orders.length; index++) level2(orders, index); }
let error;
try { level1([{ lines: [1, 2, 3], max: 2, discount: 0, owner: "ada" }]); } catch (e) { error = e; }`;

module.exports = { FIVE_FRAME_THROW };
