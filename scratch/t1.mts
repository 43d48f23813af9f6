import { pino } from "pino";
import { Store } from "../src/store/store.js";
const log = pino();
const a = Store.create("redis://127.0.0.1:6379", log, "bxf-dbg");
const wins = await Promise.all(Array.from({ length: 10 }, (_, i) => a.add("dbg:" + Date.now(), i, 60000)));
console.log(wins, a.status());
await a.close();
