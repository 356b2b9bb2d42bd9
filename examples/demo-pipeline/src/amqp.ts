import amqp, { type ChannelModel } from 'amqplib';
import { log, sleep } from './config.js';

/** Connects to RabbitMQ, retrying every 2 s (the broker may still be starting). */
export async function connectAmqp(service: string, url: string): Promise<ChannelModel> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await amqp.connect(url);
    } catch (error) {
      if (attempt === 1 || attempt % 15 === 0) {
        log(
          service,
          `RabbitMQ not reachable at ${url.replace(/\/\/.*@/, '//')} (${String(error)}); retrying`,
        );
      }
      await sleep(2000);
    }
  }
}
