import { createRoot } from 'react-dom/client';
import { createClient } from './api/client';
import { App } from './App';
import { connectStore } from './store';
import './styles.css';

const client = createClient();
connectStore(client.api, client.onStatus);
createRoot(document.getElementById('root')!).render(<App />);
