// graph.mjs: a real LangGraph.js agent stopped by LangChain's
// human-in-the-loop middleware, for Verdict's LangGraph round trip.
//
// Usage: node graph.mjs INTERRUPTS.json RAN.json [RESUME.json]
//
// Runs two threads of an agent (createAgent from langchain v1 with
// humanInTheLoopMiddleware and a MemorySaver checkpointer) whose chat model
// is @langchain/core's FakeListChatModel scripted to emit tool calls:
//   - thread "thread-payments": send_email and transfer_funds in one model
//     turn, so one interrupt with two actions;
//   - thread "thread-cleanup": delete_file, an interrupt with one action.
// Each thread stops at its interrupt. The threads are written to
// INTERRUPTS.json as the LangGraph SDK's threads.search() returns them:
// [{thread_id, status: "interrupted", interrupts: {TASK_ID: [{value, id}]}}].
//
// Then it reads the path of the resume file from argv[4], or else from the
// first line of standard input, waiting for it. The file is Verdict's
// LangGraph export, {THREAD_ID: {INTERRUPT_ID: RESUME}}; each thread is
// resumed with new Command({resume: {INTERRUPT_ID: RESUME}}), the way
// LangGraph resumes several interrupts by id. RAN.json gets the tool calls
// that really ran, in order, [{thread_id, tool, args}], and the messages
// the model saw back from the tools (rejections come back as tool messages
// with status "error").
//
// References: langchain's src/agents/middleware/hitl.ts (the request
// {actionRequests, reviewConfigs} and the resume {decisions: [...]}), and
// LangGraph's Command({resume}) with a map of interrupt ids.

import { readFileSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";

import { AIMessage } from "@langchain/core/messages";
import { FakeListChatModel } from "@langchain/core/utils/testing";
import { Command, MemorySaver } from "@langchain/langgraph";
import { createAgent, humanInTheLoopMiddleware, tool } from "langchain";
import { z } from "zod";

const [interruptsPath, ranPath, resumeArg] = process.argv.slice(2);
if (!interruptsPath || !ranPath) {
  console.error("usage: node graph.mjs INTERRUPTS.json RAN.json [RESUME.json]");
  process.exit(2);
}

// FakeListChatModel answers text from a list; this one answers the listed
// AI messages, tool calls and all, one per model turn.
class ScriptedToolCallModel extends FakeListChatModel {
  constructor(messages) {
    super({ responses: messages.map(() => "") });
    this.messages = messages;
    this.turn = 0;
    this.disableStreaming = true;
  }

  bindTools(_tools) {
    return this;
  }

  async _generate(_messages, _options) {
    const message = this.messages[Math.min(this.turn, this.messages.length - 1)];
    this.turn += 1;
    return { generations: [{ message, text: "" }], llmOutput: {} };
  }
}

const ran = [];

function makeTool(name, description, schema) {
  return tool(
    async (args, config) => {
      ran.push({ thread_id: config.configurable.thread_id, tool: name, args });
      return `${name} done`;
    },
    { name, description, schema },
  );
}

const tools = [
  makeTool("send_email", "Send an email", z.object({
    to: z.string(), subject: z.string(), body: z.string(),
  })),
  makeTool("transfer_funds", "Move money between accounts", z.object({
    from_account: z.string(), to_account: z.string(), amount: z.number(),
    currency: z.string(), urgent: z.boolean(),
  })),
  makeTool("delete_file", "Delete a file", z.object({
    path: z.string(), recursive: z.boolean(),
  })),
];

const middleware = () => humanInTheLoopMiddleware({
  interruptOn: {
    send_email: { allowedDecisions: ["approve", "edit", "reject"] },
    transfer_funds: {
      allowedDecisions: ["approve", "edit", "reject"],
      description: "Transfer money: check the amount and the account",
    },
    delete_file: { allowedDecisions: ["approve", "reject"] },
  },
  descriptionPrefix: "Tool execution pending approval",
});

const checkpointer = new MemorySaver();

const scripts = {
  "thread-payments": {
    prompt: "Pay the March invoice and tell Bob.",
    messages: [
      new AIMessage({
        content: "",
        tool_calls: [
          { id: "call_email_1", name: "send_email",
            args: { to: "bob@example.com", subject: "Invoice paid",
                    body: "The March invoice is paid." } },
          { id: "call_pay_1", name: "transfer_funds",
            args: { from_account: "ops", to_account: "ACME-4411", amount: 1250.5,
                    currency: "EUR", urgent: false } },
        ],
      }),
      new AIMessage("Paid and told Bob."),
    ],
  },
  "thread-cleanup": {
    prompt: "Free some disk space.",
    messages: [
      new AIMessage({
        content: "",
        tool_calls: [
          { id: "call_rm_1", name: "delete_file",
            args: { path: "/srv/reports", recursive: true } },
        ],
      }),
      new AIMessage("Understood, I left the reports alone."),
    ],
  },
};

const agents = {};
for (const [threadId, script] of Object.entries(scripts)) {
  agents[threadId] = createAgent({
    model: new ScriptedToolCallModel(script.messages),
    tools,
    middleware: [middleware()],
    checkpointer,
  });
}

const config = (threadId) => ({ configurable: { thread_id: threadId } });

// Run every thread until its interrupt and write them as the SDK lists threads.
const threads = [];
for (const [threadId, script] of Object.entries(scripts)) {
  const agent = agents[threadId];
  await agent.invoke({ messages: [{ role: "user", content: script.prompt }] }, config(threadId));
  const state = await agent.getState(config(threadId));
  const interrupts = {};
  for (const task of state.tasks) {
    if (task.interrupts?.length)
      interrupts[task.id] = task.interrupts.map((i) => ({ value: i.value, id: i.id }));
  }
  if (Object.keys(interrupts).length === 0) {
    console.error(`graph.mjs: thread ${threadId} did not stop at an interrupt`);
    process.exit(1);
  }
  threads.push({ thread_id: threadId, status: "interrupted", interrupts });
}
writeFileSync(interruptsPath, JSON.stringify(threads, null, 2) + "\n");
if (ran.length !== 0) {
  console.error("graph.mjs: a tool ran before the review", JSON.stringify(ran));
  process.exit(1);
}

async function resumePath() {
  if (resumeArg)
    return resumeArg;
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line.trim() !== "") {
      lines.close();
      return line.trim();
    }
  }
  console.error("graph.mjs: no resume file path on standard input");
  process.exit(2);
}

const resume = JSON.parse(readFileSync(await resumePath(), "utf8"));
const toolMessages = [];
for (const [threadId, byInterrupt] of Object.entries(resume)) {
  const agent = agents[threadId];
  if (!agent) {
    console.error(`graph.mjs: the resume names an unknown thread ${threadId}`);
    process.exit(1);
  }
  const result = await agent.invoke(new Command({ resume: byInterrupt }), config(threadId));
  const state = await agent.getState(config(threadId));
  if (state.next.length !== 0) {
    console.error(`graph.mjs: thread ${threadId} is still waiting: ${JSON.stringify(state.next)}`,
                  JSON.stringify(result.__interrupt__ ?? null), JSON.stringify(ran));
    process.exit(1);
  }
  for (const m of result.messages) {
    if (m.getType() === "tool")
      toolMessages.push({ thread_id: threadId, tool: m.name, status: m.status ?? "success",
                          content: m.content });
  }
}

writeFileSync(ranPath, JSON.stringify({ ran, tool_messages: toolMessages }, null, 2) + "\n");
console.log(JSON.stringify({ ran }));
