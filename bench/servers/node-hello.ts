// Baseline: bare node:http answering "hello".
import { createServer } from 'node:http';

const server = createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'text/plain' }).end('hello');
});
server.listen(Number(process.env['PORT']), '127.0.0.1');
