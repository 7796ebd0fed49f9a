import { describe, expect, it } from "vitest";
import { buildComponents, describeTemplate, extractParameters, fillTemplate, missingParameters, previewText } from "@/components/outbound/template-parameters";

// Graph's shape of a synced template's components.
const orderReady = [
  { type: "HEADER", format: "TEXT", text: "Order {{1}}" },
  { type: "BODY", text: "Hi {{1}}, your order {{2}} is ready. Pick it up before {{3}}, {{1}}!", example: { body_text: [["Dana", "#1042", "6 pm"]] } },
  { type: "FOOTER", text: "Levi Bakery" },
  { type: "BUTTONS", buttons: [{ type: "QUICK_REPLY", text: "Thanks" }] },
];

describe("extractParameters", () => {
  it("finds each {{n}} once, in number order, whatever order the text uses", () => {
    expect(extractParameters("{{2}} then {{1}}, {{10}} and {{ 3 }} and {{2}} again")).toEqual([
      { key: "1", named: false },
      { key: "2", named: false },
      { key: "3", named: false },
      { key: "10", named: false },
    ]);
  });

  it("keeps named parameters in the order they appear", () => {
    expect(extractParameters("Hi {{first_name}}, order {{order_id}} for {{first_name}}")).toEqual([
      { key: "first_name", named: true },
      { key: "order_id", named: true },
    ]);
  });

  it("finds nothing in plain text or broken braces", () => {
    expect(extractParameters("Thanks for your order! {1} {{}} {{ two words }}")).toEqual([]);
  });
});

describe("describeTemplate", () => {
  it("reads the header, body and footer texts and their parameters", () => {
    const shape = describeTemplate(orderReady);
    expect(shape.header).toBe("Order {{1}}");
    expect(shape.footer).toBe("Levi Bakery");
    expect(shape.headerParameters.map((p) => p.key)).toEqual(["1"]);
    expect(shape.bodyParameters.map((p) => p.key)).toEqual(["1", "2", "3"]);
    expect(shape.mediaHeader).toBeNull();
  });

  it("notes a media header it cannot fill and survives what is not a component list", () => {
    expect(describeTemplate([{ type: "HEADER", format: "IMAGE" }, { type: "BODY", text: "See the photo" }])).toMatchObject({ header: null, mediaHeader: "IMAGE", body: "See the photo" });
    expect(describeTemplate(null)).toMatchObject({ body: "", bodyParameters: [], header: null });
    expect(describeTemplate([42, { text: "no type" }, { type: "BODY", text: "ok {{1}}" }]).bodyParameters).toHaveLength(1);
  });
});

describe("buildComponents", () => {
  it("makes Graph's parameters array, one text parameter per placeholder in order", () => {
    const shape = describeTemplate(orderReady);
    expect(buildComponents(shape, { header: { "1": "#1042" }, body: { "3": " 6 pm ", "1": "Dana", "2": "#1042" } })).toEqual([
      { type: "header", parameters: [{ type: "text", text: "#1042" }] },
      {
        type: "body",
        parameters: [
          { type: "text", text: "Dana" },
          { type: "text", text: "#1042" },
          { type: "text", text: "6 pm" },
        ],
      },
    ]);
  });

  it("names named parameters, and sends no components for a template without any", () => {
    const named = describeTemplate([{ type: "BODY", text: "Hi {{first_name}}" }]);
    expect(buildComponents(named, { header: {}, body: { first_name: "Dana" } })).toEqual([{ type: "body", parameters: [{ type: "text", text: "Dana", parameter_name: "first_name" }] }]);
    expect(buildComponents(describeTemplate([{ type: "BODY", text: "We are open today" }]), { header: {}, body: {} })).toEqual([]);
  });
});

describe("preview", () => {
  it("fills in what was typed and marks what is still missing", () => {
    expect(fillTemplate("Hi {{1}}, order {{2}}.", { "1": "Dana" })).toEqual([
      { text: "Hi ", placeholder: null },
      { text: "Dana", placeholder: "1" },
      { text: ", order ", placeholder: null },
      { text: "{{2}}", placeholder: "2" },
      { text: ".", placeholder: null },
    ]);
    const shape = describeTemplate(orderReady);
    const values = { header: { "1": "#1042" }, body: { "1": "Dana", "2": "#1042" } };
    expect(missingParameters(shape, values)).toEqual(["body {{3}}"]);
    expect(previewText(shape, { ...values, body: { ...values.body, "3": "6 pm" } })).toBe("Order #1042\n\nHi Dana, your order #1042 is ready. Pick it up before 6 pm, Dana!\n\nLevi Bakery");
  });
});
