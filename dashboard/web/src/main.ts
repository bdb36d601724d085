/** Entry point of the app (wall and consoles): applies the palette, then mounts the shell. */
import { createApp } from 'vue'
import { cssVariables } from './palette.ts'
import App from './App.vue'
import './styles.css'
import './console.css'
import './leader.css'

for (const [name, value] of Object.entries(cssVariables())) document.documentElement.style.setProperty(name, value)
createApp(App).mount('#app')
