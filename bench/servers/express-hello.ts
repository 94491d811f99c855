// Baseline: bare Express answering "hello".
import express from 'express';

const app = express();
app.get('/', (_req, res) => void res.send('hello'));
app.listen(Number(process.env['PORT']), '127.0.0.1');
