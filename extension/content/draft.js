// A fallback message to the seller, used only when the helper's analysis has no `draft` for the card.
(() => {
  const AW = globalThis.AliWatch;

  const BODIES = {
    awaiting_payment: (o) =>
      `I placed ${o} and would like to confirm the price and the shipping method before I pay.`,
    awaiting_shipment: (o) =>
      `${cap(o)} has not been shipped yet. Please ship it now and send me the tracking number. ` +
      "If it cannot be shipped in time, I will ask for a cancellation and a full refund.",
    awaiting_delivery: (o) =>
      `${cap(o)} has not reached me yet and the buyer protection period is about to end. ` +
      "Please extend the buyer protection by 15 days so that I can receive and check the item. " +
      "If you cannot, I will have to open a dispute to keep my protection.",
    delivered: (o) =>
      `Tracking shows ${o} as delivered, but I have not confirmed receipt yet because I still need ` +
      "to check the item. Please extend the buyer protection by 15 days.",
    completed: (o) =>
      `I received ${o}, but there is a problem with it: [describe the problem]. ` +
      "I have photos and an unboxing video. Please offer a return for a full refund or a partial refund.",
    in_dispute: (o) =>
      `About the dispute on ${o}: I will keep the dispute open until the refund is on my card. ` +
      "Please respond to my request before the deadline.",
    refunded: (o) =>
      `The refund for ${o} was granted, but the money has not reached my card yet. ` +
      "Please send me the refund transaction details so that I can check with my bank.",
  };

  const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);

  /** entry: the card's analysis (order_id, status, ...). Returns {lang, text}. */
  function build(entry) {
    const order = entry?.order_id ? `order ${entry.order_id}` : "my order";
    const body = BODIES[entry?.status]?.(order) ?? `I am writing about ${order}. [Describe the problem.]`;
    return { lang: "en", text: `Hello,\n\n${body}\n\nThank you.` };
  }

  /** The helper's draft when it sent one, else the fallback. */
  AW.draft = {
    build,
    forEntry: (entry) =>
      entry?.draft && typeof entry.draft.text === "string" && entry.draft.text.trim()
        ? { lang: entry.draft.lang ?? "", text: entry.draft.text }
        : build(entry),
  };
})();
